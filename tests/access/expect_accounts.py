"""Access to sign-in, sign-out and two-factor pages (namespace ``accounts``)."""

from tests.access.matrix import PUBLIC, SIGNED_IN, Expect

EXPECT = {
    "accounts:login": Expect(allow=PUBLIC,
                             note="A signed-in user is sent on to the home page."),
    "accounts:logout": Expect(allow=PUBLIC, method="POST"),
    "accounts:totp_verify": Expect(allow=SIGNED_IN),
    "accounts:totp_setup": Expect(allow=SIGNED_IN),
}
