// GraphiQL for analysts, served by our own server at /graphiql and bundled at build time by
// `cargo xtask` (esbuild): nothing is fetched from another origin at run time. A sign-in
// form above the editor asks the server for a token and puts it in the header editor.
import { StrictMode, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import './graphiql.css';

const ENDPOINT = '/graphql';

const EXAMPLE = `# Sign in above: the token goes into the Headers editor below.
# Run with Ctrl-Enter. The Docs button on the left describes every type and field.
query FirstClients {
  clients(limit: 10) {
    items {
      name
      status
      accountManager { fullName }
    }
    pageInfo { total }
  }
}
`;

const LOGIN = `mutation GraphiQLSignIn($email: String!, $password: String!) {
  login(email: $email, password: $password) { token expiresAt user { fullName role } }
}`;

/** The first error's message of a GraphQL answer, with its code. */
function errorText(answer) {
  const error = answer?.errors?.[0];
  if (!error) return null;
  const code = error.extensions?.code;
  return code ? `${error.message} (${code})` : error.message;
}

function SignIn({ session, onSession }) {
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const emailRef = useRef(null);

  async function submit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setStatus('Signing in…');
    try {
      const response = await fetch(ENDPOINT, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          query: LOGIN,
          variables: { email: form.get('email'), password: form.get('password') },
        }),
      });
      const answer = await response.json();
      const problem = errorText(answer);
      if (problem || !answer.data?.login) {
        setStatus(`Not signed in: ${problem ?? `HTTP ${response.status}`}`);
        return;
      }
      const { token, expiresAt, user } = answer.data.login;
      onSession({ token, expiresAt, name: user.fullName, role: user.role });
      setStatus(`Signed in as ${user.fullName} (${user.role}); the token is in the Headers editor.`);
    } catch (error) {
      setStatus(`Not signed in: ${error.message}`);
    } finally {
      setBusy(false);
    }
  }

  function forget() {
    onSession(null);
    setStatus('Token removed from the Headers editor.');
    queueMicrotask(() => emailRef.current?.focus());
  }

  return (
    <header className="clt-bar">
      <h1>Clientele GraphiQL</h1>
      {session ? (
        <div className="clt-session">
          <span>
            {session.name} · {session.role} · until{' '}
            {new Date(session.expiresAt).toLocaleString()}
          </span>
          <button type="button" onClick={forget}>Forget token</button>
        </div>
      ) : (
        <form className="clt-sign-in" onSubmit={submit} aria-label="Sign in">
          <label>
            Email <input ref={emailRef} name="email" type="email" autoComplete="username" required />
          </label>
          <label>
            Password{' '}
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          <button type="submit" disabled={busy}>Sign in</button>
        </form>
      )}
      <p className="clt-status" role="status" aria-live="polite">{status}</p>
    </header>
  );
}

function App() {
  const [session, setSession] = useState(null);
  const [fetcher] = useState(() => createGraphiQLFetcher({ url: ENDPOINT }));
  // `?query=` opens a shared query (a link from a colleague, a test).
  const [query] = useState(() => new URLSearchParams(location.search).get('query') ?? undefined);
  const headers = session
    ? JSON.stringify({ Authorization: `Bearer ${session.token}` }, null, 2)
    : '{}';
  return (
    <>
      <SignIn session={session} onSession={setSession} />
      <main className="clt-graphiql">
        <GraphiQL
          fetcher={fetcher}
          defaultQuery={EXAMPLE}
          query={query}
          headers={headers}
          shouldPersistHeaders={false}
          defaultEditorToolsVisibility={session ? 'headers' : false}
        />
      </main>
    </>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
