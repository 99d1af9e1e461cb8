"""Populate a freshly bootstrapped local Keystone for Glance tests.

Run by scripts/glance-local.sh with /usr/bin/python3 (stdlib only).  Creates:
  * projects "service" and "demo"
  * user "glance" (role admin on "service"): keystonemiddleware's service user
  * user "demo" (role member on "demo"): a non-admin end user
  * service type "identity" (name "keystone") with endpoints $KEYSTONE_URL/v3 in
    RegionOne (the cached bootstrap has no catalog: it does not know the port)
  * service type "image" (name "glance") with public/internal/admin endpoints
    in every region given, creating regions other than RegionOne as needed.

Environment: KEYSTONE_URL, ADMIN_PASSWORD, DEMO_PASSWORD,
GLANCE_SERVICE_PASSWORD, IMAGE_ENDPOINTS ("RegionOne=http://...,RegionTwo=http://...").
"""
import json
import os
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

KEYSTONE = os.environ['KEYSTONE_URL'].rstrip('/') + '/v3'


def call(method, path, body=None, token=None):
    req = urllib.request.Request(
        KEYSTONE + path, method=method,
        data=None if body is None else json.dumps(body).encode())
    req.add_header('Content-Type', 'application/json')
    req.add_header('Accept', 'application/json')
    if token:
        req.add_header('X-Auth-Token', token)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            data = resp.read()
            return resp.headers, (json.loads(data) if data else None)
    except urllib.error.HTTPError as err:
        sys.exit('keystone %s %s -> %s %s' % (method, path, err.code, err.read()[:500]))


def admin_token():
    auth = {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': 'admin', 'domain': {'id': 'default'},
            'password': os.environ['ADMIN_PASSWORD']}}},
        'scope': {'project': {'name': 'admin', 'domain': {'id': 'default'}}}}}
    headers, _ = call('POST', '/auth/tokens', auth)
    return headers['X-Subject-Token']


def main():
    token = admin_token()
    # keystone runs 2 uwsgi processes: independent calls go out two at a time
    pool = ThreadPoolExecutor(max_workers=2)

    def post(path, kind, obj):
        return call('POST', path, {kind: obj}, token)[1][kind]['id']

    def get(path, kind):
        return call('GET', path, token=token)[1][kind]

    def run(*calls):  # run (fn, args...) tuples concurrently, return results in order
        return [f.result() for f in [pool.submit(c[0], *c[1:]) for c in calls]]

    image_endpoints = [item.split('=', 1) for item in os.environ['IMAGE_ENDPOINTS'].split(',')]
    roles, regions, service_project, demo_project, identity, image = run(
        (get, '/roles', 'roles'),
        (get, '/regions', 'regions'),
        (post, '/projects', 'project', {'name': 'service', 'domain_id': 'default'}),
        (post, '/projects', 'project', {'name': 'demo', 'domain_id': 'default'}),
        (post, '/services', 'service', {'type': 'identity', 'name': 'keystone'}),
        (post, '/services', 'service', {'type': 'image', 'name': 'glance'}))
    roles = {r['name']: r['id'] for r in roles}
    known = {r['id'] for r in regions}
    run(*[(post, '/regions', 'region', {'id': region})
          for region in sorted({r for r, _ in image_endpoints} - known)])

    def user(name, password, project):
        return post('/users', 'user', {'name': name, 'password': password,
                                       'domain_id': 'default', 'default_project_id': project})

    endpoints = [(identity, 'RegionOne', KEYSTONE)] + [(image, r, u) for r, u in image_endpoints]
    glance_user, demo_user, *_ = run(
        (user, 'glance', os.environ['GLANCE_SERVICE_PASSWORD'], service_project),
        (user, 'demo', os.environ['DEMO_PASSWORD'], demo_project),
        *[(post, '/endpoints', 'endpoint', {'service_id': sid, 'interface': interface,
                                           'url': url, 'region_id': region})
          for sid, region, url in endpoints
          for interface in ('public', 'internal', 'admin')])

    def grant(project, user_id, role):
        call('PUT', '/projects/%s/users/%s/roles/%s' % (project, user_id, roles[role]),
             token=token)

    run((grant, service_project, glance_user, 'admin'),
        (grant, demo_project, demo_user, 'member'))


if __name__ == '__main__':
    main()
