from review.models import AuditEvent
from review.states import State


def test_a_document_walks_the_whole_lawful_path_to_filed(walk, document):
    walk.to(State.FILED)
    assert document.state == State.FILED
    assert document.registration.number == "安民发〔2020〕1号"
    assert AuditEvent.objects.filter(document=document).count() > 8
