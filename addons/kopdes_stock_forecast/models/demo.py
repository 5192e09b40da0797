"""Demo data: two years of generated POS history for the demo cooperative's shop and a
pharmacy, written with SQL so tens of thousands of lines install in seconds.

Clearly generated (:mod:`..tools.demand_generator`): orders are named "Contoh ...", the
suppliers "(contoh)". The stock moves are consistent with the sales: weekly receipts, the POS
deliveries of each day, and before each stock-out episode an inventory loss that empties the
shelf, so today's quants rolled back by the moves show the stock-outs."""

from datetime import datetime, time, timedelta

import numpy as np

from odoo import Command, api, models

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today

from ..tools import demand_generator
from ..tools.calendar_features import week_start

# (name, category key, profile, units a day, price, lead days)
SHOP_PRODUCTS = [
    ("Beras Medium 5 kg (contoh)", "sembako", "staple", 14, 68000, 3),
    ("Beras Premium 5 kg (contoh)", "sembako", "staple", 6, 78000, 3),
    ("Minyak Goreng 2 L (contoh)", "sembako", "staple", 11, 36000, 5),
    ("Gula Pasir 1 kg (contoh)", "sembako", "staple", 12, 18000, 5),
    ("Tepung Terigu 1 kg (contoh)", "sembako", "staple", 7, 13000, 5),
    ("Telur Ayam 1 kg (contoh)", "sembako", "staple", 10, 29000, 2),
    ("Mi Instan Dus (contoh)", "sembako", "staple", 4, 115000, 7),
    ("Susu Kental Manis (contoh)", "sembako", "staple", 9, 12500, 7),
    ("Sirup 600 ml (contoh)", "sembako", "staple", 3, 22000, 7),
    ("Kecap Manis 520 ml (contoh)", "sembako", "staple", 5, 21000, 7),
    ("Sabun Cuci 800 g (contoh)", "rumah", "staple", 6, 19500, 7),
    ("Sabun Mandi (contoh)", "rumah", "staple", 8, 4500, 7),
    ("Pasta Gigi (contoh)", "rumah", "staple", 4, 11000, 7),
    ("Gas LPG 3 kg (contoh)", "rumah", "staple", 16, 21000, 2),
    ("Pupuk Urea 50 kg (contoh)", "tani", "farm", 3, 145000, 10),
    ("Pupuk NPK 50 kg (contoh)", "tani", "farm", 2, 190000, 10),
    ("Benih Padi 5 kg (contoh)", "tani", "farm", 1.5, 75000, 14),
    ("Pestisida 500 ml (contoh)", "tani", "farm", 1, 65000, 14),
    ("Buku Tulis 10 pcs (contoh)", "sekolah", "school", 2, 35000, 10),
    ("Pensil 12 pcs (contoh)", "sekolah", "school", 1.2, 24000, 10),
    ("Seragam SD (contoh)", "sekolah", "school", 0.5, 85000, 21),
    ("Tas Sekolah (contoh)", "sekolah", "school", 0.4, 120000, 21),
]
# (name, category key, units a day, price, lead days, shelf life days)
PHARMACY_PRODUCTS = [
    ("Paracetamol 500 mg strip (contoh)", "esensial", 3.5, 4000, 5, 730),
    ("Amoksisilin 500 mg strip (contoh)", "esensial", 1.2, 7500, 7, 540),
    ("Oralit sachet (contoh)", "esensial", 1.5, 1500, 7, 540),
    ("Tablet Tambah Darah (contoh)", "esensial", 0.8, 12000, 10, 365),
    ("Salep Kulit (contoh)", "esensial", 0.12, 18000, 14, 365),
    ("Obat Cacing (contoh)", "esensial", 0.1, 9000, 14, 730),
    ("Antasida Sirup (contoh)", "esensial", 0.15, 14000, 14, 365),
    ("Obat Batuk Sirup (contoh)", "bebas", 2.0, 16000, 7, 365),
    ("Minyak Kayu Putih 60 ml (contoh)", "bebas", 1.6, 22000, 7, 730),
    ("Vitamin C strip (contoh)", "bebas", 1.4, 6000, 7, 365),
    ("Obat Maag tablet (contoh)", "bebas", 0.9, 9000, 7, 540),
    ("Plester Luka (contoh)", "bebas", 0.5, 8000, 10, 1095),
    ("Obat Tetes Mata (contoh)", "bebas", 0.08, 15000, 14, 365),
    ("Masker Medis isi 50 (contoh)", "bebas", 0.12, 30000, 10, 1095),
    ("Termometer Digital (contoh)", "bebas", 0.07, 45000, 21, 1825),
]
CATEGORIES = {
    "sembako": ("Sembako (contoh)", 0.95),
    "rumah": ("Kebutuhan Rumah Tangga (contoh)", 0.9),
    "tani": ("Pupuk dan Pertanian (contoh)", 0.9),
    "sekolah": ("Perlengkapan Sekolah (contoh)", 0.85),
    "esensial": ("Obat Esensial (contoh)", 0.95),
    "bebas": ("Obat Bebas (contoh)", 0.9),
}
NEW_PRODUCT = ("Minyak Goreng Kemasan Baru 1 L (contoh)", "sembako", 8, 19000, 5)
NEW_PRODUCT_WEEKS = 4
HISTORY_WEEKS = 104
COVER_WEEKS = (1.5, 0.3, 2.5, 8.0, 1.0, 0.6, 4.0)  # weeks of stock on hand today, by turn


class KopdesStockForecastDemo(models.AbstractModel):
    _name = "kopdes.stock.forecast.demo"
    _description = "Stock forecast demo data"

    @api.model
    def _kopdes_demo_generate(self, company_xmlid, seed=7):
        company = self.env.ref(company_xmlid)
        env = (
            self.with_company(company)
            .with_context(
                allowed_company_ids=company.ids, tracking_disable=True, mail_create_nolog=True
            )
            .env
        )
        today = kopdes_today(env, company)
        first_day = week_start(today) - timedelta(days=7 * HISTORY_WEEKS)
        n_days = (today - first_day).days
        shop_wh = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        pharmacy_wh = env["stock.warehouse"].create(
            {"name": "Apotek Sokoduwet (contoh)", "code": "APT", "company_id": company.id}
        )
        shop_config = env["pos.config"].search(
            [("company_id", "=", company.id), ("picking_type_id.warehouse_id", "=", shop_wh.id)],
            limit=1,
        ) or env["pos.config"].create(
            {
                "name": "Gerai (contoh)",
                "company_id": company.id,
                "picking_type_id": shop_wh.pos_type_id.id,
            }
        )
        pharmacy_config = env["pos.config"].create(
            {
                "name": "Apotek Sokoduwet (contoh)",
                "company_id": company.id,
                "picking_type_id": pharmacy_wh.pos_type_id.id,
            }
        )
        fefo = env.ref("product_expiry.removal_fefo")
        categs = {}
        for key, (name, service) in CATEGORIES.items():
            vals = {"name": name, "kopdes_service_level": service}
            if key in ("esensial", "bebas"):
                vals["removal_strategy_id"] = fefo.id
            categs[key] = env["product.category"].create(vals)
        pharmacy_wh.lot_stock_id.removal_strategy_id = fefo
        supplier = env["res.partner"].create(
            {"name": "CV Sumber Pangan (contoh)", "company_id": company.id, "supplier_rank": 1}
        )
        pbf = env["res.partner"].create(
            {"name": "PBF Sehat Sentosa (contoh)", "company_id": company.id, "supplier_rank": 1}
        )
        specs = []
        for name, cat, profile, rate, price, lead in SHOP_PRODUCTS:
            specs.append(
                dict(
                    name=name,
                    cat=cat,
                    profile=profile,
                    rate=rate,
                    price=price,
                    lead=lead,
                    wh=shop_wh,
                    config=shop_config,
                    vendor=supplier,
                    shelf=0,
                )
            )
        for name, cat, rate, price, lead, shelf in PHARMACY_PRODUCTS:
            specs.append(
                dict(
                    name=name,
                    cat=cat,
                    profile="medicine",
                    rate=rate,
                    price=price,
                    lead=lead,
                    wh=pharmacy_wh,
                    config=pharmacy_config,
                    vendor=pbf,
                    shelf=shelf,
                )
            )
        name, cat, rate, price, lead = NEW_PRODUCT
        specs.append(
            dict(
                name=name,
                cat=cat,
                profile="staple",
                rate=rate,
                price=price,
                lead=lead,
                wh=shop_wh,
                config=shop_config,
                vendor=supplier,
                shelf=0,
                launch=n_days - 7 * NEW_PRODUCT_WEEKS - (n_days % 7),
            )
        )
        templates = env["product.template"].create(
            [
                {
                    "name": s["name"],
                    "company_id": company.id,
                    "type": "consu",
                    "is_storable": True,
                    "categ_id": categs[s["cat"]].id,
                    "list_price": s["price"],
                    "standard_price": round(s["price"] * 0.85, -2),
                    "available_in_pos": True,
                    "taxes_id": [Command.clear()],
                    "supplier_taxes_id": [Command.clear()],
                    "tracking": "lot" if s["shelf"] else "none",
                    "use_expiration_date": bool(s["shelf"]),
                    "expiration_time": s["shelf"] or 0,
                    "seller_ids": [
                        Command.create(
                            {
                                "partner_id": s["vendor"].id,
                                "delay": s["lead"],
                                "price": round(s["price"] * 0.85, -2),
                                "company_id": company.id,
                            }
                        )
                    ],
                }
                for s in specs
            ]
        )
        events = env["kopdes.calendar.event"]._kopdes_events(
            company, first_day, today + timedelta(days=60)
        )
        qty, price, out = demand_generator.generate_daily(
            [{"rate": s["rate"], "profile": s["profile"], "price": s["price"]} for s in specs],
            first_day,
            n_days,
            events,
            seed=seed,
            launch_days=[s.get("launch", 0) for s in specs],
        )
        products = templates.product_variant_ids
        product_of = {t.id: t.product_variant_id for t in templates}
        prods = [product_of[t.id] for t in templates]
        self._kopdes_demo_write_history(company, specs, prods, first_day, n_days, qty, price, out)
        self._kopdes_demo_write_lots(company, specs, prods, today)
        # the demo's forecast: every screen has something to show
        run = env["kopdes.stock.forecast.run"].sudo().create({"company_id": company.id})
        run._kopdes_compute()
        return products

    def _kopdes_demo_write_history(self, company, specs, prods, first_day, n_days, qty, price, out):
        cr = self.env.cr
        uid = self.env.uid
        customer = self.env.ref("stock.stock_location_customers").id
        supplier = self.env.ref("stock.stock_location_suppliers").id
        loss = (
            self.env["stock.location"]
            .search(
                [
                    ("usage", "=", "inventory"),
                    ("company_id", "=", company.id),
                    ("scrap_location", "=", False),
                ],
                limit=1,
            )
            .id
        )
        configs = {s["config"].id: s["config"] for s in specs}
        sessions = self._kopdes_demo_sessions(configs, first_day, n_days)
        # one order and one POS delivery per POS and day
        order_rows, line_rows, move_rows, picking_rows = [], [], [], []
        by_config = {}
        for p, s in enumerate(specs):
            by_config.setdefault(s["config"].id, []).append(p)
        for config_id, members in by_config.items():
            config = configs[config_id]
            wh = specs[members[0]]["wh"]
            for d in range(n_days):
                day = first_day + timedelta(days=d)
                sold = [p for p in members if qty[p, d] > 0]
                if not sold:
                    continue
                when = datetime.combine(day, time(3, 0))  # 10:00 WIB
                total = float(sum(qty[p, d] * price[p, d] for p in sold))
                order_rows.append(
                    (
                        f"Contoh {config.name} {day:%Y-%m-%d}",
                        sessions[(config_id, (day.year, day.month))],
                        config_id,
                        company.id,
                        when,
                        total,
                        wh.id,
                        tuple(sold),
                        d,
                    )
                )
        cr.execute("SELECT id FROM pos_order WHERE false")
        for start in range(0, len(order_rows), 2000):
            chunk = order_rows[start : start + 2000]
            cr.execute(
                """INSERT INTO pos_order (name, pos_reference, session_id, config_id, company_id,
                       date_order, state, amount_total, amount_tax, amount_paid, amount_return,
                       create_uid, create_date, write_uid, write_date)
                   SELECT n, n, s, c, co, d, 'done', t, 0, t, 0, %s, now(), %s, now()
                     FROM unnest(%s::varchar[], %s::int[], %s::int[], %s::int[], %s::timestamp[],
                                 %s::numeric[]) AS v(n, s, c, co, d, t)
                   RETURNING id""",
                [
                    uid,
                    uid,
                    [r[0] for r in chunk],
                    [r[1] for r in chunk],
                    [r[2] for r in chunk],
                    [r[3] for r in chunk],
                    [r[4] for r in chunk],
                    [round(r[5], 2) for r in chunk],
                ],
            )
            ids = [row[0] for row in cr.fetchall()]
            for order_id, row in zip(ids, chunk, strict=True):
                for p in row[7]:
                    q, pr = float(qty[p, row[8]]), float(price[p, row[8]])
                    line_rows.append((order_id, prods[p].id, specs[p]["name"], q, pr, q * pr))
                picking_rows.append((row[0], row[6], row[1], row[4], row[7], row[8]))
        for start in range(0, len(line_rows), 20000):
            chunk = line_rows[start : start + 20000]
            cr.execute(
                """INSERT INTO pos_order_line (order_id, product_id, name, full_product_name, qty,
                       price_unit, price_subtotal, price_subtotal_incl, discount, company_id,
                       create_uid, create_date, write_uid, write_date)
                   SELECT o, p, n, n, q, u, s, s, 0, %s, %s, now(), %s, now()
                     FROM unnest(%s::int[], %s::int[], %s::varchar[], %s::numeric[],
                                 %s::numeric[], %s::numeric[]) AS v(o, p, n, q, u, s)""",
                [
                    company.id,
                    uid,
                    uid,
                    [r[0] for r in chunk],
                    [r[1] for r in chunk],
                    [r[2] for r in chunk],
                    [r[3] for r in chunk],
                    [r[4] for r in chunk],
                    [r[5] for r in chunk],
                ],
            )
        # POS deliveries (a picking per POS and day), weekly receipts, losses before stock-outs
        wh_of = {}
        for s in specs:
            wh_of[s["wh"].id] = s["wh"]
        picking_ids = []
        for start in range(0, len(picking_rows), 2000):
            chunk = picking_rows[start : start + 2000]
            cr.execute(
                """INSERT INTO stock_picking (name, origin, picking_type_id, location_id,
                       location_dest_id, move_type, state, scheduled_date, date, date_done,
                       company_id, pos_session_id, create_uid, create_date, write_uid, write_date)
                   SELECT n, n, t, l, %s, 'direct', 'done', d, d, d, %s, s, %s, now(), %s, now()
                     FROM unnest(%s::varchar[], %s::int[], %s::int[], %s::timestamp[], %s::int[])
                          AS v(n, t, l, d, s)
                   RETURNING id""",
                [
                    customer,
                    company.id,
                    uid,
                    uid,
                    [r[0] for r in chunk],
                    [wh_of[r[1]].pos_type_id.id for r in chunk],
                    [wh_of[r[1]].lot_stock_id.id for r in chunk],
                    [r[3] for r in chunk],
                    [r[2] for r in chunk],
                ],
            )
            picking_ids.extend(row[0] for row in cr.fetchall())
        for picking_id, row in zip(picking_ids, picking_rows, strict=True):
            for p in row[4]:
                move_rows.append(
                    (
                        prods[p].id,
                        float(qty[p, row[5]]),
                        specs[p]["wh"].lot_stock_id.id,
                        customer,
                        row[3],
                        picking_id,
                        specs[p]["wh"].pos_type_id.id,
                        row[0],
                    )
                )
        move_rows += self._kopdes_demo_stock_moves(
            specs, prods, first_day, n_days, qty, out, (supplier, loss)
        )
        for start in range(0, len(move_rows), 20000):
            chunk = move_rows[start : start + 20000]
            cr.execute(
                """INSERT INTO stock_move (name, reference, company_id, product_id, product_uom,
                       product_uom_qty, product_qty, quantity, location_id, location_dest_id,
                       state, date, picking_id, picking_type_id, procure_method, create_uid,
                       create_date, write_uid, write_date)
                   SELECT n, n, %s, v.p, t.uom_id, q, q, q, l, ld, 'done', d, pk, pt,
                          'make_to_stock', %s, now(), %s, now()
                     FROM unnest(%s::int[], %s::numeric[], %s::int[], %s::int[], %s::timestamp[],
                                 %s::int[], %s::int[], %s::varchar[])
                          AS v(p, q, l, ld, d, pk, pt, n)
                     JOIN product_product pp ON pp.id = v.p
                     JOIN product_template t ON t.id = pp.product_tmpl_id""",
                [
                    company.id,
                    uid,
                    uid,
                    [r[0] for r in chunk],
                    [r[1] for r in chunk],
                    [r[2] for r in chunk],
                    [r[3] for r in chunk],
                    [r[4] for r in chunk],
                    [r[5] for r in chunk],
                    [r[6] for r in chunk],
                    [r[7] for r in chunk],
                ],
            )
        self.env.invalidate_all()

    def _kopdes_demo_sessions(self, configs, first_day, n_days):
        """One closed session per POS and month."""
        cr = self.env.cr
        uid = self.env.uid
        sessions = {}
        for config in configs.values():
            month = None
            for d in range(n_days):
                day = first_day + timedelta(days=d)
                if (day.year, day.month) != month:
                    month = (day.year, day.month)
                    cr.execute(
                        """INSERT INTO pos_session (config_id, name, state, user_id, start_at,
                               stop_at, sequence_number, login_number, create_uid, create_date,
                               write_uid, write_date)
                           VALUES (%s, %s, 'closed', %s, %s, %s, 1, 0, %s, now(), %s, now())
                           RETURNING id""",
                        [
                            config.id,
                            f"Contoh {config.name} {day:%Y-%m}",
                            uid,
                            datetime.combine(day, time(1, 0)),
                            datetime.combine(day, time(1, 0)) + timedelta(days=27),
                            uid,
                            uid,
                        ],
                    )
                    sessions[(config.id, month)] = cr.fetchone()[0]
        return sessions

    def _kopdes_demo_stock_moves(self, specs, prods, first_day, n_days, qty, out, locations):
        """Receipts every Monday (and after a stock-out), an inventory loss that empties
        the shelf when a stock-out starts, and today's stock."""
        supplier, loss = locations
        move_rows = []
        for p, s in enumerate(specs):
            stock = s["wh"].lot_stock_id.id
            on_hand = 0.0
            launch = s.get("launch", 0)
            for d in range(launch, n_days):
                day = first_day + timedelta(days=d)
                when = datetime.combine(day, time(0, 30))
                if out[p, d] and (d == launch or not out[p, d - 1]) and on_hand > 0:
                    move_rows.append(
                        (
                            prods[p].id,
                            on_hand,
                            stock,
                            loss,
                            when,
                            None,
                            None,
                            f"Contoh selisih stok {s['name']}",
                        )
                    )
                    on_hand = 0.0
                if not out[p, d] and (d == launch or out[p, d - 1] or day.weekday() == 0):
                    nxt = d + 1
                    while (
                        nxt < n_days
                        and not out[p, nxt]
                        and (first_day + timedelta(days=nxt)).weekday() != 0
                    ):
                        nxt += 1
                    need = float(qty[p, d:nxt].sum()) + max(2.0, round(s["rate"] * 2))
                    receive = max(need - on_hand, 0.0)
                    if receive > 0:
                        move_rows.append(
                            (
                                prods[p].id,
                                receive,
                                supplier,
                                stock,
                                when,
                                None,
                                s["wh"].in_type_id.id,
                                f"Contoh penerimaan {s['name']}",
                            )
                        )
                        on_hand += receive
                on_hand -= float(qty[p, d])
            # today's stock: from a few days' to many weeks' worth, so the risk and overstock
            # lists have products (a last receipt, or a count that found less)
            weekly = float(qty[p, -28:].sum()) / 4
            target = round(weekly * COVER_WEEKS[p % len(COVER_WEEKS)])
            when = datetime.combine(first_day + timedelta(days=n_days - 1), time(12, 0))
            if target > on_hand:
                move_rows.append(
                    (
                        prods[p].id,
                        target - on_hand,
                        supplier,
                        stock,
                        when,
                        None,
                        s["wh"].in_type_id.id,
                        f"Contoh penerimaan {s['name']}",
                    )
                )
            elif target < on_hand:
                move_rows.append(
                    (
                        prods[p].id,
                        on_hand - target,
                        stock,
                        loss,
                        when,
                        None,
                        None,
                        f"Contoh selisih stok {s['name']}",
                    )
                )
            s["on_hand"] = target
        return move_rows

    def _kopdes_demo_write_lots(self, company, specs, prods, today):
        """Today's stock as quants; medicines in two or three lots, one of them near expiry."""
        Quant = self.env["stock.quant"].sudo()
        Lot = self.env["stock.lot"].sudo()
        rng = np.random.default_rng(11)
        lot_vals, quant_rows = [], []
        for p, s in enumerate(specs):
            on_hand = round(s["on_hand"], 4)
            if on_hand <= 0:
                continue
            if not s["shelf"]:
                quant_rows.append((prods[p].id, s["wh"].lot_stock_id.id, None, on_hand))
                continue
            parts = (
                [on_hand] if on_hand < 4 else [round(on_hand * 0.6), on_hand - round(on_hand * 0.6)]
            )
            for n, part in enumerate(parts):
                near = n == 0 and p % 2 == 0  # every other medicine has a lot expiring soon
                days = int(rng.integers(10, 30)) if near else int(rng.integers(120, s["shelf"]))
                lot_vals.append(
                    {
                        "name": f"CTH-{p:02d}{n}-{today:%y%m}",
                        "product_id": prods[p].id,
                        "company_id": company.id,
                        "expiration_date": datetime.combine(
                            today + timedelta(days=days), time(5, 0)
                        ),
                    }
                )
                quant_rows.append(
                    (prods[p].id, s["wh"].lot_stock_id.id, len(lot_vals) - 1, round(part, 4))
                )
        lots = Lot.create(lot_vals)
        self.env.cr.execute(
            """INSERT INTO stock_quant (product_id, location_id, lot_id, company_id, quantity,
                   reserved_quantity, in_date, create_uid, create_date, write_uid, write_date)
               SELECT p, l, lot, %s, q, 0, now(), %s, now(), %s, now()
                 FROM unnest(%s::int[], %s::int[], %s::int[], %s::numeric[]) AS v(p, l, lot, q)""",
            [
                company.id,
                self.env.uid,
                self.env.uid,
                [r[0] for r in quant_rows],
                [r[1] for r in quant_rows],
                [lots[r[2]].id if r[2] is not None else None for r in quant_rows],
                [r[3] for r in quant_rows],
            ],
        )
        Quant.invalidate_model()
