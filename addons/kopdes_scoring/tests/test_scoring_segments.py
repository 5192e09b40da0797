from datetime import date

from odoo.exceptions import AccessError

from ..models.kopdes_member_segment import BEHAVIOUR, MAX_SEGMENTS, segment_names


class ScoringSegmentChecks:
    """Mixed into :class:`TestScoring`: members clustered by how they save, borrow and shop,
    named from their profile, refreshed in place."""

    def _segment_cooperative(self):
        """Forty generated members with four years of savings, loans and shop history."""
        History = self.env["kopdes.scoring.history"]
        ids = History._kopdes_generate(self.company, 40, end=date(2025, 6, 30), seed=7)
        return self.env["kopdes.member"].browse(ids)

    def test_segments_cluster_every_active_member(self):
        generated = self._segment_cooperative()
        Segment = self.env["kopdes.member.segment"].with_user(self.user_officer)
        Segment.with_company(self.company).action_refresh()
        active = self.env["kopdes.member"].search(
            [("company_id", "=", self.company.id), ("state", "=", "active")]
        )
        self.assertGreaterEqual(len(active), 40)
        self.assertTrue(generated <= active)
        segments = self.env["kopdes.member.segment"].search([("company_id", "=", self.company.id)])
        self.assertTrue(2 <= len(segments) <= MAX_SEGMENTS, segments.mapped("name"))
        # every active member in exactly one of them, and the profiles count them all
        self.assertFalse(active.filtered(lambda m: not m.kopdes_segment_id))
        self.assertEqual(active.kopdes_segment_id, segments)
        self.assertEqual(sum(s.profile["members"] for s in segments), len(active))
        for segment in segments:
            self.assertEqual(segment.member_count, segment.profile["members"])
            self.assertEqual(set(BEHAVIOUR) | {"members"}, set(segment.profile))
            self.assertIn(
                segment.code.split("_")[0], {c.split("_")[0] for c in segment_names(self.env)}
            )
        names = set(segment_names(self.env).values())
        for segment in segments:
            self.assertTrue(any(segment.name.startswith(n) for n in names), segment.name)
        # the segment's profile is the mean behaviour of its members
        late = max(segments, key=lambda s: s.profile["rep_max_dpd"])
        calm = min(segments, key=lambda s: s.profile["rep_max_dpd"])
        self.assertGreaterEqual(late.profile["rep_max_dpd"], calm.profile["rep_max_dpd"])
        # a group-by everywhere members are listed
        groups = self.env["kopdes.member"]._read_group(
            [("id", "in", active.ids)], ["kopdes_segment_id"], ["__count"]
        )
        self.assertEqual({s: n for s, n in groups}, {s: s.member_count for s in segments})
        # refreshed again (the monthly cron): the same segments, updated, none duplicated
        self.env["kopdes.member.segment"]._cron_refresh()
        again = self.env["kopdes.member.segment"].search([("company_id", "=", self.company.id)])
        self.assertEqual(again, segments)
        self.assertEqual(
            self.env["kopdes.member"].search_count(
                [("id", "in", active.ids), ("kopdes_segment_id", "=", False)]
            ),
            0,
        )

    def test_segments_are_made_by_the_refresh_only(self):
        with self.assertRaises(AccessError):
            self.env["kopdes.member.segment"].with_user(self.user_officer).create(
                {"name": "Buatan tangan", "company_id": self.company.id}
            )
        with self.assertRaises(AccessError):
            self.env["kopdes.member.segment"].with_user(self.user_teller).with_company(
                self.company
            ).action_refresh()
        with self.assertRaises(AccessError):
            self.env["kopdes.member.segment"].with_user(self.cashier).search([])
