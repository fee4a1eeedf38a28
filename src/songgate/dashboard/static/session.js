// Where the token is kept: this tab's sessionStorage, or localStorage when the person
// asked to stay signed in. Never in the URL, never in a cookie.

const KEY = "songgate.token";

function stores() {
  const found = [];
  for (const name of ["sessionStorage", "localStorage"]) {
    try {
      if (window[name]) found.push(window[name]);
    } catch {
      // storage disabled by the browser: the token lives only in memory
    }
  }
  return found;
}

let inMemory = "";

export function savedToken() {
  for (const store of stores()) {
    const token = store.getItem(KEY);
    if (token) return token;
  }
  return inMemory;
}

export function saveToken(token, remember) {
  forgetToken();
  inMemory = token;
  try {
    (remember ? window.localStorage : window.sessionStorage).setItem(KEY, token);
  } catch {
    // storage full or disabled: stay signed in for this page only
  }
}

export function forgetToken() {
  inMemory = "";
  for (const store of stores()) store.removeItem(KEY);
}

export function tokenHint(token) {
  return token.length > 8 ? `${token.slice(0, 3)}…${token.slice(-4)}` : "a token";
}
