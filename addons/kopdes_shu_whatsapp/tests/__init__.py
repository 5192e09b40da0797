from . import test_shu_whatsapp
