"""Who may fire a transition: a role in the issuing body, in the filing authority of
the document's latest filing, or in the authority the body files with."""

from ..roles import has_role


def role_in_issuer(*roles):
    def check(document, user):
        return has_role(user, document.organisation_id, *roles)

    return check


def role_in_authority(*roles):
    def check(document, user):
        filing = document.latest_filing
        return filing is not None and has_role(user, filing.authority_id, *roles)

    return check


def role_in_files_with(*roles):
    """备案条例 art. 20: the authority the body files with acts on a filing not yet made."""

    def check(document, user):
        authority_id = document.organisation.files_with_id
        return authority_id is not None and has_role(user, authority_id, *roles)

    return check
