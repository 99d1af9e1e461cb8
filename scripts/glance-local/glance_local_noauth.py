"""Paste filter: a keystone-less identity for a LOCAL TEST Glance (loopback only).

keystonemiddleware's auth_token, after validating a token, leaves the caller's
identity in the X-Identity-Status / X-Project-Id / X-User-Id / X-Roles request
headers, and Glance's ContextMiddleware turns those into a RequestContext.
This filter sets the same headers to fixed defaults, so that ownership, policy
(admin vs member) and import tasks (tasks.owner is NOT NULL) behave as on a real
cloud without a Keystone.

Each header the client sent itself is kept: a test can act as another project
(X-Project-Id), another user (X-User-Id) or a non-admin (X-Roles: member,reader).
Never expose a Glance using this filter beyond 127.0.0.1.
"""

HEADERS = (
    # (WSGI environ key, paste option, built-in default)
    ('HTTP_X_IDENTITY_STATUS', 'identity_status', 'Confirmed'),
    ('HTTP_X_PROJECT_ID', 'project_id', '0123456789abcdef0123456789abcdef'),
    ('HTTP_X_USER_ID', 'user_id', 'fedcba9876543210fedcba9876543210'),
    ('HTTP_X_ROLES', 'roles', 'admin,member,reader'),
)


def filter_factory(global_conf, **local_conf):
    defaults = [(key, local_conf.get(opt, default)) for key, opt, default in HEADERS]

    def make_filter(app):
        def noauth(environ, start_response):
            for key, value in defaults:
                if not environ.get(key):
                    environ[key] = value
            # deprecated alias still read by some code paths: keep it consistent
            environ['HTTP_X_TENANT_ID'] = environ['HTTP_X_PROJECT_ID']
            return app(environ, start_response)
        return noauth
    return make_filter
