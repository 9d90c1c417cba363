import { Layout } from "../pages/render.js";
import type { Workspace } from "../tenancy/users.js";

export function LoginPage(props: {
  csrfToken: string;
  email?: string;
  error?: string;
  next?: string;
  /** Shown when the e-mail and password open several workspaces: the person picks one. */
  workspaces?: Workspace[];
}) {
  return (
    <Layout title="Sign in">
      <div className="card narrow">
        <h1>Sign in to review recaps</h1>
        {props.error ? (
          <p className="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/review/login">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <input type="hidden" name="next" value={props.next ?? "/review"} />
          <label htmlFor="email">E-mail</label>
          <input id="email" name="email" type="email" autoComplete="username" required defaultValue={props.email} />
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
          {props.workspaces?.length ? (
            <fieldset>
              <legend>Workspace</legend>
              {props.workspaces.map((workspace, index) => (
                <label key={workspace.slug}>
                  <input type="radio" name="workspace" value={workspace.slug} required defaultChecked={index === 0} />{" "}
                  {workspace.name} ({workspace.slug})
                </label>
              ))}
            </fieldset>
          ) : null}
          <p>
            <button type="submit">Sign in</button>
          </p>
        </form>
      </div>
    </Layout>
  );
}
