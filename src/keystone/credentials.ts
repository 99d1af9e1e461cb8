/** What Keystone v3 needs to issue (or validate) a token: the identity, its secret, the scope. */

/** A domain, by id or by name. */
export type DomainRef = { readonly id: string } | { readonly name: string };

/** A user, by id, or by name within a domain. */
export type UserRef = { readonly id: string } | { readonly name: string; readonly domain: DomainRef };

/** A project, by id, or by name within a domain. */
export type ProjectRef = { readonly id: string } | { readonly name: string; readonly domain: DomainRef };

/** The scope a password token is requested for; none lets Keystone use the user's default project. */
export type Scope = { readonly project: ProjectRef } | { readonly domain: DomainRef };

/** Password authentication (`auth_type` password / v3password). */
export interface PasswordCredentials {
  readonly method: "password";
  /** The Keystone v3 base URL (`https://keystone.example:5000/v3`). */
  readonly authUrl: string;
  readonly user: UserRef;
  readonly password: string;
  readonly scope?: Scope;
}

/** Application credential authentication (`v3applicationcredential`): never scoped, the credential is. */
export interface ApplicationCredentials {
  readonly method: "application_credential";
  readonly authUrl: string;
  /** By id, or by name together with its owner. */
  readonly credential: { readonly id: string } | { readonly name: string; readonly user: UserRef };
  readonly secret: string;
}

/** An existing token (`OS_TOKEN`), validated with Keystone to read its catalog. */
export interface TokenCredentials {
  readonly method: "token";
  readonly authUrl: string;
  readonly token: string;
}

export type Credentials = PasswordCredentials | ApplicationCredentials | TokenCredentials;

/** The secret of a set of credentials. */
export function secretOf(credentials: Credentials): string {
  switch (credentials.method) {
    case "password":
      return credentials.password;
    case "application_credential":
      return credentials.secret;
    case "token":
      return credentials.token;
  }
}

/** The credentials without their secret: what identifies whose token it is. */
export function identityOf(credentials: Credentials): unknown {
  switch (credentials.method) {
    case "password":
      return { method: credentials.method, user: credentials.user, scope: credentials.scope ?? null };
    case "application_credential":
      return { method: credentials.method, credential: credentials.credential };
    case "token":
      return { method: credentials.method };
  }
}
