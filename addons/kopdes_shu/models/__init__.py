from . import account_chart_template
from . import res_company
from . import kopdes_shu_rule
from . import kopdes_shu_distribution
from . import kopdes_shu_line
from . import account_move
from . import kopdes_shu_demo
