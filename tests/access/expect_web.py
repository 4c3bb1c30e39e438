"""Access to the organiser pages (namespace ``web``) and the language switch."""

from tests.access.matrix import PUBLIC, SIGNED_IN, Expect


def _edition(side):
    return {"slug": side.edition.slug}


def _section(side):
    return {"slug": side.edition.slug, "section": "tahap"}


def _rubric(side):
    return {"slug": side.edition.slug, "rubric": side.edition.rubrics.first().key}


def _stage(side):
    return {"slug": side.edition.slug, "stage": side.edition.stages.first().key}


EXPECT = {
    "set_language": Expect(allow=PUBLIC, method="POST", data={"language": "en", "next": "/"}),
    "web:home": Expect(allow=PUBLIC),
    "web:favicon": Expect(allow=PUBLIC, note="Redirects to the static icon."),
    "web:editions": Expect(allow=SIGNED_IN, note="Lists only the user's own editions."),
    "web:edition_create": Expect(allow={"organiser"}),
    "web:edition_dashboard": Expect(kwargs=_edition, allow={"organiser"}),
    "web:edition_status": Expect(kwargs=_edition, allow={"organiser"}, method="POST",
                                 data={"status": "open"}),
    "web:edition_rules": Expect(kwargs=_edition, allow={"organiser"}),
    "web:rules_section": Expect(kwargs=_section, allow={"organiser"}),
    "web:rules_rubric": Expect(kwargs=_rubric, allow={"organiser"}),
    "web:rules_disagreement": Expect(kwargs=_stage, allow={"organiser"}),
    "web:rules_yaml": Expect(kwargs=_edition, allow={"organiser"}),
    "web:rules_types": Expect(kwargs=_edition, allow={"organiser"}),
    "web:rules_download": Expect(
        kwargs=_edition, allow={"organiser", "auditor"},
        note="Auditors read the rules that decided the results.",
    ),
    "web:rules_reopen": Expect(
        kwargs=_edition, allow={"organiser"}, method="POST",
        data={"reason": "Salah ketik bobot.", "affects": "Belum ada nilai."},
    ),
    "web:rules_freeze": Expect(kwargs=_edition, allow={"organiser"}, method="POST"),
    "web:security_accounts": Expect(
        allow={"organiser"},
        note="Only the accounts that work in the organiser's competitions (see its tests).",
    ),
    "web:security_reset_two_step": Expect(
        kwargs=lambda side: {"pk": side.users["judge"].pk},
        allow={"organiser"},
        post_data={"how_checked": "Panggilan video dengan KTP, nomor sesuai arsip."},
        note="An organiser resets the two-step verification of a judge of its own edition.",
    ),
    "web:organisers": Expect(allow={"platform_admin"}),
    "web:organiser_detail": Expect(
        kwargs=lambda side: {"pk": side.organiser.pk}, allow={"platform_admin"},
        other_allow={"platform_admin"},
        note="The platform administrator manages every organiser's secretariat accounts.",
    ),
    "web:administrators": Expect(allow={"platform_admin"}),
    "web:administrator_revoke": Expect(
        kwargs=lambda side: {"pk": side.users["platform_admin"].pk}, method="POST",
        allow={"platform_admin"}, other_allow={"platform_admin"},
        note="Platform administrators give and take the role for any account; the first "
             "answer asks for confirmation.",
    ),
    "web:security_unlock_sign_in": Expect(
        kwargs=lambda side: {"pk": side.users["judge"].pk},
        method="POST",
        allow={"organiser"},
        note="An organiser lifts the sign-in lockout of a judge of its own edition.",
    ),
    "web:security_events": Expect(
        allow={"organiser"},
        note="Only the events of the organiser's own editions and people (see its tests).",
    ),
    "healthz": Expect(allow=PUBLIC, note="For the load balancer."),
    "readyz": Expect(allow=PUBLIC, note="For the load balancer: database, migrations, Redis."),
    "web:api_tokens": Expect(allow={"organiser"}),
    "web:api_token_revoke": Expect(
        kwargs=lambda side: {"pk": side.revocable_token.pk}, allow={"organiser"},
        method="POST", note="A token of the side's organiser."),
}


def extend(side):
    from sayembara.accounts.services.api_tokens import create_token

    new = create_token(user=side.users["organiser"], organiser=side.organiser, name="Lama",
                       scopes=["read"], days=30)
    side.add("revocable_token", new.token)
