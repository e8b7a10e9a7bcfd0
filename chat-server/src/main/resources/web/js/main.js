// Entry point: sign-in screen, then the chat. Exposes window.parley for debugging and tests.

import { Api, ApiError } from './api.js';
import { Connection } from './connection.js';
import { Chat } from './chat.js';
import { ChatView } from './view.js';
import { Notifications } from './notifications.js';
import { $, sentence } from './dom.js';

const api = new Api();
const conn = new Connection(api);
let chat = null;
let view = null;
let notifications = null;

function showAuth() {
  if (chat) {
    // start from a clean page: no listeners or state of the previous user survive
    chat.stop();
    location.reload();
    return;
  }
  $('chat-screen').hidden = true;
  $('auth-screen').hidden = false;
  document.title = 'Parley · Sign in';
  $('auth-username').focus();
}

async function showChat() {
  $('auth-screen').hidden = true;
  if (!chat) chat = new Chat(api, conn);
  window.parley = { api, conn, chat };
  try {
    await chat.start();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      api.forget();
      return;
    }
    // server unreachable: try again shortly
    $('auth-error').textContent = 'Cannot reach the server, retrying…';
    setTimeout(() => { if (api.signedIn) showChat(); }, 2_000);
    $('auth-screen').hidden = false;
    return;
  }
  if (!view) view = new ChatView(chat, api, conn, () => api.logout());
  $('chat-screen').hidden = false;
  document.title = 'Parley';
  view.start();
  if (!notifications) notifications = new Notifications(chat, api, conn);
  window.parley.notifications = notifications;
  notifications.start(); // the unread count in the title and favicon, notifications, sound
}

function setMode(mode) {
  const form = $('auth-form');
  form.dataset.mode = mode;
  const register = mode === 'register';
  $('auth-tab-login').setAttribute('aria-selected', String(!register));
  $('auth-tab-register').setAttribute('aria-selected', String(register));
  $('auth-title').textContent = register ? 'Create your account' : 'Welcome back';
  $('auth-submit').textContent = register ? 'Create account' : 'Sign in';
  $('auth-password').autocomplete = register ? 'new-password' : 'current-password';
  $('auth-error').textContent = '';
}

function validate(register) {
  const username = $('auth-username').value.trim();
  const password = $('auth-password').value;
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(username)) {
    return ['auth-username', 'Usernames are 3 to 32 letters, digits, dots, dashes or underscores.'];
  }
  if (register && password.length < 8) return ['auth-password', 'Passwords have at least 8 characters.'];
  if (!password) return ['auth-password', 'Enter your password.'];
  return null;
}

// after too many failed sign-ins the server refuses every attempt for a while: one frees up every
// 6 s per username and every 2 s per address (docs/protocol.md), so 10 s is a wait that works
const THROTTLE_WAIT_S = 10;

/** Says how long to wait, counting down, with the button off until then. */
function throttled(retryAfter) {
  const error = $('auth-error');
  const submit = $('auth-submit');
  let left = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : THROTTLE_WAIT_S;
  submit.disabled = true;
  const tick = () => {
    if (left <= 0) {
      error.textContent = 'You can try again now.';
      submit.disabled = false;
      return;
    }
    error.textContent = `Too many sign-in attempts. Try again in ${left} s.`;
    left -= 1;
    setTimeout(tick, 1_000);
  };
  tick();
}

$('auth-tab-login').addEventListener('click', () => setMode('login'));
$('auth-tab-register').addEventListener('click', () => setMode('register'));
$('auth-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const register = $('auth-form').dataset.mode === 'register';
  const problem = validate(register);
  const error = $('auth-error');
  if (problem) {
    error.textContent = problem[1];
    $(problem[0]).focus();
    return;
  }
  const username = $('auth-username').value.trim();
  const password = $('auth-password').value;
  const submit = $('auth-submit');
  submit.disabled = true;
  error.textContent = '';
  try {
    if (register) await api.register(username, password, $('auth-display-name').value.trim() || undefined);
    await api.login(username, password);
    $('auth-password').value = '';
    await showChat();
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) error.textContent = 'That username is taken.';
    else if (err instanceof ApiError && err.status === 401) error.textContent = 'Wrong username or password.';
    else if (err instanceof ApiError && err.status === 429) { throttled(err.retryAfter); return; }
    else if (err instanceof TypeError) error.textContent = 'Cannot reach the server. Check your connection and try again.';
    else error.textContent = sentence(err.message) || 'Something went wrong.';
  }
  submit.disabled = false;
});

api.addEventListener('logout', showAuth);

if (api.signedIn) {
  api.scheduleRefresh();
  showChat();
} else {
  showAuth();
}
