from django.core.management.base import BaseCommand

from review.models import NormativeDocument
from workflows.flows import adopt


class Command(BaseCommand):
    help = (
        "为尚无流程的文件（演示数据、历史台账导入）按其当前状态启动流程，使其出现在相应人员的待办中。"
        " Start the workflow process of every document that has none, at its current state."
    )

    def handle(self, *args, **options):
        started = 0
        for document in NormativeDocument.objects.select_related("organisation").order_by("pk"):
            process = adopt(document)
            if process is not None:
                started += 1
                self.stdout.write(
                    f"启动流程\t{process.flow_class.process_title}\t{document.title}（{document.get_state_display()}）"
                )
        self.stdout.write(f"共为 {started} 件文件启动了流程。")
