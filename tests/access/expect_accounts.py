"""Access to sign-in, sign-out and two-factor pages (namespace ``accounts``)."""

from tests.access.matrix import PUBLIC, SIGNED_IN, Expect

EXPECT = {
    "accounts:login": Expect(allow=PUBLIC,
                             note="A signed-in user is sent on to the home page."),
    "accounts:logout": Expect(allow=PUBLIC, method="POST"),
    "accounts:totp_verify": Expect(allow=SIGNED_IN),
    "accounts:totp_setup": Expect(allow=SIGNED_IN),
    "accounts:password_reset": Expect(allow=PUBLIC),
    "accounts:password_reset_done": Expect(allow=PUBLIC),
    "accounts:password_reset_confirm": Expect(
        kwargs=lambda side: {"uidb64": "MQ", "token": "bukan-token"}, allow=PUBLIC,
        note="A link that does not work says so and offers a new one, to everybody."),
    "accounts:password_reset_complete": Expect(allow=PUBLIC),
    "accounts:password_change": Expect(allow=SIGNED_IN),
    "accounts:invitation_accept": Expect(
        allow=PUBLIC, kwargs=lambda side: {"uidb64": "MQ", "token": "abc-123"},
        note="Anyone holding the e-mailed link; a wrong or used link says it does not work.",
    ),
}
