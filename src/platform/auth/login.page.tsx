import { Layout } from "../pages/render.js";

export function LoginPage(props: { csrfToken: string; email?: string; error?: string; next?: string }) {
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
          <p>
            <button type="submit">Sign in</button>
          </p>
        </form>
      </div>
    </Layout>
  );
}
