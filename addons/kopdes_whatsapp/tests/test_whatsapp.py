from odoo.tests import tagged

from .common import KopdesWhatsappCommon
from .test_notifications import NotificationChecks
from .test_outbox import OutboxChecks


@tagged("post_install", "-at_install")
class TestWhatsapp(KopdesWhatsappCommon, OutboxChecks, NotificationChecks):
    """Outbox and notifications on one cooperative built once (the suite's time budget)."""
