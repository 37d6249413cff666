# SPDX-License-Identifier: EUPL-1.2
"""OpenID Connect login, read only when OIDC_ENABLED is set.

Users are never created from a login: the identity provider's e-mail claim must match an
existing, active account, because every user belongs to a party (see docs/deployment.md).
"""

from ketentafel.config.env import env_required_str, env_str

OIDC_RP_CLIENT_ID = env_required_str("OIDC_RP_CLIENT_ID", help="Client id at the provider.")
OIDC_RP_CLIENT_SECRET = env_required_str(
    "OIDC_RP_CLIENT_SECRET", help="Client secret at the provider."
)
OIDC_OP_AUTHORIZATION_ENDPOINT = env_required_str(
    "OIDC_OP_AUTHORIZATION_ENDPOINT", help="The provider's authorization endpoint URL."
)
OIDC_OP_TOKEN_ENDPOINT = env_required_str(
    "OIDC_OP_TOKEN_ENDPOINT", help="The provider's token endpoint URL."
)
OIDC_OP_USER_ENDPOINT = env_required_str(
    "OIDC_OP_USER_ENDPOINT", help="The provider's userinfo endpoint URL."
)
OIDC_OP_JWKS_ENDPOINT = env_str(
    "OIDC_OP_JWKS_ENDPOINT", default="", help="The provider's JWKS URL (needed for RS256)."
)
OIDC_RP_SIGN_ALGO = env_str(
    "OIDC_RP_SIGN_ALGO", default="RS256", help="Signing algorithm of the provider's ID tokens."
)
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_BACKEND = "ketentafel.accounts.oidc.ExistingUserOIDCBackend"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ketentafel.accounts.oidc.ExistingUserOIDCBackend",
    "ketentafel.accounts.backends.PartyModelBackend",
]
