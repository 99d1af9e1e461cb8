import type { ApplicationCredentials, DomainRef, PasswordCredentials, ProjectRef, Scope, UserRef } from "./credentials";

/** The body of `POST /v3/auth/tokens` for password or application credential authentication. */
export function buildAuthBody(credentials: PasswordCredentials | ApplicationCredentials): { auth: Record<string, unknown> } {
  if (credentials.method === "application_credential") {
    const { credential, secret } = credentials;
    const ref = "id" in credential ? { id: credential.id } : { name: credential.name, user: userJson(credential.user) };
    // No scope: Keystone answers 401 "Application credentials cannot request a scope."
    return { auth: { identity: { methods: ["application_credential"], application_credential: { ...ref, secret } } } };
  }
  const identity = { methods: ["password"], password: { user: { ...userJson(credentials.user), password: credentials.password } } };
  return { auth: credentials.scope === undefined ? { identity } : { identity, scope: scopeJson(credentials.scope) } };
}

function domainJson(domain: DomainRef): Record<string, string> {
  return "id" in domain ? { id: domain.id } : { name: domain.name };
}

function userJson(user: UserRef): Record<string, unknown> {
  return "id" in user ? { id: user.id } : { name: user.name, domain: domainJson(user.domain) };
}

function projectJson(project: ProjectRef): Record<string, unknown> {
  return "id" in project ? { id: project.id } : { name: project.name, domain: domainJson(project.domain) };
}

function scopeJson(scope: Scope): Record<string, unknown> {
  return "project" in scope ? { project: projectJson(scope.project) } : { domain: domainJson(scope.domain) };
}
