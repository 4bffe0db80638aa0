// MangaAssist customer chat: one WebSocket to /v1/chat/ws (see docs/protocol.md), rendered
// with plain DOM calls. Server text only ever reaches the page through textContent.

import { cardTitles, coverFor, el, renderRichText } from './dom.js';

const STORAGE_SESSION = 'mangaassist.sessionId';
// The secret from the `session` frame: a guest's proof that the conversation is theirs.
const STORAGE_RESUME = 'mangaassist.resumeToken';
// Who the conversation belongs to ('guest', 'member', 'prime'), to offer carrying a guest chat over at sign-in.
const STORAGE_OWNER = 'mangaassist.sessionOwner';
const STORAGE_HISTORY = 'mangaassist.history';
// The store's sign-in flow leaves the member JWT here; guests simply have none.
const STORAGE_TOKEN = 'mangaassist.token';
const HISTORY_LIMIT = 40;
const PING_EVERY_MS = 25_000;
const PONG_GRACE_MS = 10_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 15_000;
// A server that closes with 1012 (service restart: its node is draining) or 1001 (going away)
// closes on purpose, after its replies in flight: reconnect at once, through the load balancer to
// another node. The jitter only spreads one node's chats over a moment instead of one instant.
const RESTART_CODES = new Set([1001, 1012]);
const RESTART_JITTER_MS = 500;
// A message whose answer was cut off by a dropped connection is sent again (same id) this many times.
const MAX_RESENDS = 3;

const LABELS = {
  en: {
    skip: 'Skip to the message box',
    title: 'Chat with our manga concierge',
    subtitle: 'Ask about series, volumes, prices, shipping or your order.',
    log: 'Conversation',
    suggestions: 'Suggested questions',
    inputLabel: 'Your message',
    placeholder: 'Ask about a manga, a volume or your order…',
    send: 'Send',
    hint: 'Enter to send · Shift+Enter for a new line',
    connecting: 'Connecting…',
    open: 'Online',
    reconnecting: 'Reconnecting…',
    seconds: (s) => ` ${s}s`,
    offline: 'Offline — waiting for network',
    you: 'You',
    assistant: 'MangaAssist',
    staff: (name) => `${name} (staff)`,
    staffDefault: 'Staff',
    typing: 'MangaAssist is typing',
    welcome: 'Welcome to MangaAssist Books! I can find series and volumes, check prices and stock, and help with shipping or your order. What are you looking for today?',
    products: 'Products mentioned in this answer',
    interrupted: 'The connection dropped before the answer finished. Please send your message again.',
    newConversation: 'This is a new conversation: the earlier one is no longer available.',
    carryQuestion: 'You are signed in. Keep this conversation in your account?',
    carryKeep: 'Keep it',
    carryNew: 'Start a new one',
    share: 'Share',
    shareIntro: 'Anyone with this link can read this conversation as it is now. Orders, requests for staff and personal details are left out.',
    shareCopy: 'Copy link',
    shareCopied: 'Copied',
    shareStop: 'Stop sharing',
    shareStopped: 'The link no longer works.',
    shareFailed: 'This conversation cannot be shared right now. Please try again in a moment.',
    shareNothing: 'There is nothing in this conversation that can be shared yet.',
    rateLimited: (s) => s > 0 ? `You're sending messages a little fast. You can send again in ${s}s.` : 'Thanks for waiting — you can send again now.',
    errors: {
      payload_too_large: 'That message is too long for me. Could you shorten it and try again?',
      bad_request: "Sorry, I couldn't read that message. Please try rephrasing it.",
      unavailable: 'Our assistant is briefly unavailable. Please try again in a moment.',
      not_ready: 'Our assistant is just starting up. Please try again in a moment.',
      unauthorized: 'Your sign-in has expired, so we continue as a guest. Sign in again to see your orders.',
      other: 'Sorry, something went wrong on our side. Please try again.',
    },
  },
  ja: {
    skip: 'メッセージ入力欄へ移動',
    title: 'マンガコンシェルジュにご相談ください',
    subtitle: '作品・巻数・価格・送料・ご注文についてお気軽にどうぞ。',
    log: '会話',
    suggestions: 'おすすめの質問',
    inputLabel: 'メッセージ',
    placeholder: '作品名、巻数、ご注文などを入力…',
    send: '送信',
    hint: 'Enterで送信 · Shift+Enterで改行',
    connecting: '接続中…',
    open: 'オンライン',
    reconnecting: '再接続中…',
    seconds: (s) => ` ${s}秒`,
    offline: 'オフライン — ネットワーク待機中',
    you: 'あなた',
    assistant: 'マンガアシスト',
    staff: (name) => `${name}（スタッフ）`,
    staffDefault: 'スタッフ',
    typing: 'マンガアシストが入力中',
    welcome: 'マンガアシスト書店へようこそ！作品や巻の検索、価格・在庫の確認、送料やご注文のご案内をいたします。今日は何をお探しですか？',
    products: 'この回答で紹介した商品',
    interrupted: '回答の途中で接続が切れました。お手数ですが、もう一度送信してください。',
    newConversation: '新しい会話を始めました。以前の会話は引き継げませんでした。',
    carryQuestion: 'ログインしました。この会話をアカウントに引き継ぎますか？',
    carryKeep: '引き継ぐ',
    carryNew: '新しく始める',
    share: '共有',
    shareIntro: 'このリンクを知っている人は、現在のこの会話を閲覧できます。ご注文・スタッフへのお問い合わせ・個人情報は含まれません。',
    shareCopy: 'リンクをコピー',
    shareCopied: 'コピーしました',
    shareStop: '共有をやめる',
    shareStopped: 'このリンクは無効になりました。',
    shareFailed: 'ただいまこの会話を共有できません。少し時間をおいてお試しください。',
    shareNothing: 'この会話にはまだ共有できる内容がありません。',
    rateLimited: (s) => s > 0 ? `送信が少し速すぎるようです。${s}秒後にまた送信できます。` : 'お待たせしました。送信できます。',
    errors: {
      payload_too_large: 'メッセージが長すぎるようです。短くしてもう一度お試しください。',
      bad_request: '申し訳ありません、メッセージを読み取れませんでした。言い換えてお試しください。',
      unavailable: 'ただいまアシスタントが一時的に利用できません。少し時間をおいてお試しください。',
      not_ready: 'アシスタントを準備しています。少し時間をおいてお試しください。',
      unauthorized: 'ログインの有効期限が切れたため、ゲストとして続けます。ご注文の確認には再度ログインしてください。',
      other: '申し訳ありません、エラーが発生しました。もう一度お試しください。',
    },
  },
};

const SUGGESTIONS = {
  ja: ['おすすめの恋愛漫画', 'Do you have Frieren?', '送料はいくら？', 'Where is my order?'],
  en: ['Do you have Frieren?', 'おすすめの恋愛漫画', 'Where is my order?', '送料はいくら？'],
};

// The customer's first preferred language decides the labels; replies follow what they write.
const lang = /^ja\b/i.test(navigator.languages?.[0] ?? navigator.language ?? '') ? 'ja' : 'en';
const t = LABELS[lang];
const yen = new Intl.NumberFormat('ja-JP');

const els = {
  messages: document.getElementById('messages'),
  suggestions: document.getElementById('suggestions'),
  form: document.getElementById('composer'),
  input: document.getElementById('composer-input'),
  send: document.getElementById('send'),
  connection: document.getElementById('connection'),
  connectionLabel: document.getElementById('connection-label'),
  share: document.getElementById('share'),
};

const state = {
  ws: null,
  connected: false,
  attempt: 0,
  reconnectTimer: 0,
  pingTimer: 0,
  pongTimer: 0,
  counter: 0,
  blockedUntil: 0,
  /** replies in flight, by client message id */
  replies: new Map(),
  history: loadHistory(),
  /** ids of staff messages already shown: the server may send one again (live and on reconnect) */
  staffSeen: new Set(),
};
for (const entry of state.history) if (entry.role === 'staff' && entry.messageId) state.staffSeen.add(entry.messageId);

// ---------- page chrome ----------

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t[node.dataset.i18n];
  for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t[node.dataset.i18nLabel]);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t[node.dataset.i18nPlaceholder];
  for (const text of SUGGESTIONS[lang]) {
    const chip = el('button', 'chip', text);
    chip.type = 'button';
    if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(text)) chip.lang = 'ja';
    chip.addEventListener('click', () => submit(text));
    els.suggestions.append(chip);
  }
}

function setConnection(kind, label, countdown = '') {
  if (els.connection.dataset.state !== kind || els.connectionLabel.firstChild?.textContent !== label) {
    els.connection.dataset.state = kind;
    els.connectionLabel.replaceChildren(label);
  }
  // The seconds tick visually only; a status region re-announcing every second would be noise.
  const tick = els.connectionLabel.querySelector('.countdown') ?? el('span', 'countdown');
  tick.setAttribute('aria-hidden', 'true');
  tick.textContent = countdown;
  els.connectionLabel.append(tick);
  updateSendButton();
}

function updateSendButton() {
  const blocked = Date.now() < state.blockedUntil;
  els.send.disabled = !state.connected || blocked || els.input.value.trim() === '';
}


/** Runs a DOM change and keeps the newest message in view if the reader was already there. */
function following(change) {
  const box = els.messages;
  // Measured before the change: scrolling back to re-read an earlier answer is not yanked away
  // by new tokens, while a tall block of product cards still comes into view.
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  change();
  if (atBottom) box.scrollTop = box.scrollHeight;
}

// ---------- messages ----------

function addBubble(role, text, { streaming = false } = {}) {
  const item = el('li', `msg msg-${role}`);
  const who = el('span', 'visually-hidden', `${role === 'user' ? t.you : t.assistant}: `);
  const bubble = el('div', 'bubble');
  const body = el('div', 'bubble-text');
  bubble.append(who, body);
  item.append(bubble);
  if (streaming) {
    item.setAttribute('aria-busy', 'true');
    const typing = el('div', 'typing');
    typing.setAttribute('role', 'img');
    typing.setAttribute('aria-label', t.typing);
    typing.append(el('span'), el('span'), el('span'));
    body.append(typing);
  } else {
    renderRichText(body, text);
  }
  els.messages.append(item);
  els.messages.scrollTop = els.messages.scrollHeight;
  return { item, bubble, body };
}

/** A message written by a person on the store's staff, labelled with their name. */
function addStaffBubble(operator, text, messageId) {
  const item = el('li', 'msg msg-assistant msg-staff');
  if (messageId) item.dataset.messageId = messageId;
  const bubble = el('div', 'bubble');
  const body = el('div', 'bubble-text');
  bubble.append(el('div', 'staff-name', t.staff(operator)), body);
  renderRichText(body, text);
  item.append(bubble);
  els.messages.append(item);
  return item;
}

function addErrorBubble(text) {
  const item = el('li', 'msg msg-assistant msg-error');
  const bubble = el('div', 'bubble');
  bubble.setAttribute('role', 'alert');
  bubble.append(el('span', 'error-icon', '!'), el('span', 'bubble-text', text));
  item.append(bubble);
  els.messages.append(item);
  els.messages.scrollTop = els.messages.scrollHeight;
  return bubble.lastChild;
}

/** A line from the page itself (not an answer): a new conversation, a choice to make. */
function addNotice(text) {
  const item = el('li', 'msg msg-notice');
  const bubble = el('div', 'bubble');
  bubble.setAttribute('role', 'status');
  bubble.append(el('span', 'bubble-text', text));
  item.append(bubble);
  els.messages.append(item);
  els.messages.scrollTop = els.messages.scrollHeight;
  return bubble;
}

/** Deterministic two-colour cover from the title, so every series gets a recognisable "spine". */

// A card speaks the reply's language: its titles (cardTitles, dom.js); the edition, since a
// print and a digital volume of one number are two cards with two prices; a future volume as a
// preorder, not as "out of stock".
const CARD_TEXT = {
  en: {
    volume: (n, format) => (format === 'box_set' ? `Box set ${n}` : `Vol. ${n}`),
    formats: { tankobon: 'Paperback', digital: 'Digital', kanzenban: 'Kanzenban', box_set: '' },
    inStock: 'In stock',
    outOfStock: 'Out of stock',
    preorder: (date) => `Preorder · out ${date}`,
    notSold: 'Not sold here yet',
    date: new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'Asia/Tokyo' }),
  },
  ja: {
    volume: (n, format) => (format === 'box_set' ? `BOXセット${n}` : `${n}巻`),
    formats: { tankobon: '単行本', digital: '電子版', kanzenban: '完全版', box_set: '' },
    inStock: '在庫あり',
    outOfStock: '在庫切れ',
    preorder: (date) => `予約受付中・${date}発売`,
    notSold: '取扱準備中',
    date: new Intl.DateTimeFormat('ja-JP', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Tokyo' }),
  },
};

/** Today in Tokyo as YYYY-MM-DD: the store's calendar decides what is released. */
function storeToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
}

function productCard(item, language) {
  const words = CARD_TEXT[language === 'ja' ? 'ja' : 'en'];
  const card = el('li', 'card');
  const info = el('div', 'card-info');
  info.append(...cardTitles(item, language));
  if (item.authors?.length) info.append(el('p', 'card-author', item.authors.join(', ')));
  const forSale = item.volume != null && item.priceJpy != null;
  const meta = el('div', 'card-meta');
  if (forSale) {
    const edition = words.formats[item.format] ?? '';
    meta.append(el('span', 'card-volume', edition ? `${words.volume(item.volume, item.format)} · ${edition}` : words.volume(item.volume, item.format)));
    meta.append(el('span', 'card-price', `¥${yen.format(item.priceJpy)}`));
    const upcoming = typeof item.releaseDate === 'string' && item.releaseDate.slice(0, 10) > storeToday();
    const badge = upcoming
      ? el('span', 'badge badge-pre', words.preorder(words.date.format(new Date(`${item.releaseDate.slice(0, 10)}T12:00:00+09:00`))))
      : el('span', `badge ${item.inStock ? 'badge-in' : 'badge-out'}`, item.inStock ? words.inStock : words.outOfStock);
    info.append(meta, badge);
  } else {
    info.append(el('span', 'badge badge-out', words.notSold));
  }
  card.append(coverFor(item), info);
  return card;
}

function renderProducts(item, products, language = item.lang || lang) {
  if (!products?.length) return;
  const list = el('ul', 'cards');
  list.setAttribute('aria-label', t.products);
  list.tabIndex = 0;
  list.append(...products.map((p) => productCard(p, language)));
  item.append(list);
}

// ---------- conversation ----------

function submit(raw) {
  const text = raw.trim();
  if (!text || !state.connected || Date.now() < state.blockedUntil) return false;
  const id = `c-${++state.counter}-${Math.random().toString(36).slice(2, 8)}`;
  state.ws.send(JSON.stringify({ type: 'user_message', id, text }));
  addBubble('user', text);
  const view = addBubble('assistant', '', { streaming: true });
  state.replies.set(id, { ...view, question: text, text: '', started: false, products: null, resends: 0 });
  remember({ role: 'user', text });
  return true;
}

function onFrame(frame) {
  if (frame.type === 'session') {
    onSession(frame);
    return;
  }
  if (frame.type === 'pong') {
    clearTimeout(state.pongTimer);
    return;
  }
  if (frame.type === 'agent_message') {
    showStaffMessage(frame);
    return;
  }
  if (frame.type === 'error' && frame.code === 'unauthorized') {
    // A stale sign-in must not lock the customer out: drop it and carry on as a guest.
    localStorage.removeItem(STORAGE_TOKEN);
    addErrorBubble(t.errors.unauthorized);
    return;
  }
  // Refusals of frames the server could not read (too big, not JSON) carry no replyTo; they are
  // answered at once, so they belong to the newest message still waiting for its first token.
  const id = frame.replyTo ?? (frame.type === 'error' ? [...state.replies].reverse().find(([, r]) => !r.started)?.[0] : undefined);
  const reply = state.replies.get(id);
  if (!reply) {
    if (frame.type === 'error') showError(frame);
    return;
  }
  switch (frame.type) {
    case 'start':
      if (frame.language) reply.item.lang = frame.language;
      break;
    case 'token':
      if (!reply.started) {
        reply.started = true;
        reply.caret = el('span', 'caret');
        reply.caret.setAttribute('aria-hidden', 'true');
      }
      reply.text += frame.text;
      following(() => {
        renderRichText(reply.body, reply.text);
        reply.body.append(reply.caret);
      });
      break;
    case 'revise':
      // A check that ran while the answer streamed failed: the text shown is replaced.
      reply.started = true;
      reply.text = frame.text;
      reply.item.dataset.revised = frame.reason ?? 'revised';
      following(() => renderRichText(reply.body, reply.text));
      break;
    case 'products':
      reply.products = frame.items;
      following(() => renderProducts(reply.item, frame.items));
      break;
    case 'end':
      finishReply(id, reply);
      remember({ role: 'assistant', text: reply.text, products: reply.products, language: reply.item.lang || undefined });
      break;
    case 'error':
      reply.item.remove();
      state.replies.delete(id);
      showError(frame);
      break;
  }
}

// The server says which conversation this connection continues: the one asked for, or a new one
// (the old one expired, or this browser could not prove it owns it).
function onSession(frame) {
  const previous = localStorage.getItem(STORAGE_SESSION);
  localStorage.setItem(STORAGE_SESSION, frame.sessionId);
  if (typeof frame.resumeToken === 'string') localStorage.setItem(STORAGE_RESUME, frame.resumeToken);
  if (typeof frame.customer === 'string') localStorage.setItem(STORAGE_OWNER, frame.customer);
  if (previous && previous !== frame.sessionId && state.history.length > 0) {
    addNotice(t.newConversation);
    state.history = [];
    remember(null);
  }
  // Answers cut off by the dropped connection: the same message id again. The server replays an
  // answer it had already stored, or answers anew one it never finished.
  for (const [id, reply] of state.replies) {
    if (reply.resends++ >= MAX_RESENDS) {
      finishReply(id, reply);
      if (!reply.text) reply.item.remove();
      addErrorBubble(t.interrupted);
      continue;
    }
    reply.text = '';
    reply.started = false;
    reply.products = null;
    reply.item.querySelector('.cards')?.remove();
    reply.item.setAttribute('aria-busy', 'true');
    const typing = el('div', 'typing');
    typing.setAttribute('role', 'img');
    typing.setAttribute('aria-label', t.typing);
    typing.append(el('span'), el('span'), el('span'));
    reply.body.replaceChildren(typing);
    state.ws.send(JSON.stringify({ type: 'user_message', id, text: reply.question }));
  }
}

// An operator's reply to a handoff ticket: not part of any answer, it may arrive at any moment
// (also right after `session` when the customer reconnects, for replies sent while away).
function showStaffMessage(frame) {
  if (typeof frame.messageId !== 'string' || typeof frame.text !== 'string') return;
  // Sent live and again on reconnect when the live copy raced the reconnect: show it once.
  if (state.staffSeen.has(frame.messageId)) return;
  state.staffSeen.add(frame.messageId);
  const operator = typeof frame.operator === 'string' && frame.operator.trim() ? frame.operator.trim().slice(0, 60) : t.staffDefault;
  following(() => addStaffBubble(operator, frame.text, frame.messageId));
  remember({ role: 'staff', text: frame.text, operator, messageId: frame.messageId });
}

function finishReply(id, reply) {
  renderRichText(reply.body, reply.text);
  reply.item.removeAttribute('aria-busy');
  state.replies.delete(id);
}

function showError(frame) {
  if (frame.code !== 'rate_limited') {
    addErrorBubble(t.errors[frame.code] ?? t.errors.other);
    return;
  }
  state.blockedUntil = Date.now() + (frame.retryAfterMs ?? 3000);
  const text = addErrorBubble(t.rateLimited(Math.ceil((state.blockedUntil - Date.now()) / 1000)));
  updateSendButton();
  const tick = setInterval(() => {
    const left = Math.max(0, Math.ceil((state.blockedUntil - Date.now()) / 1000));
    const next = t.rateLimited(left);
    if (text.textContent !== next) text.textContent = next;
    if (left === 0) {
      clearInterval(tick);
      updateSendButton();
    }
  }, 250);
}

// ---------- history (so a reload shows the conversation the server still remembers) ----------

function loadHistory() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_HISTORY) ?? 'null');
    if (saved && saved.sessionId === localStorage.getItem(STORAGE_SESSION)) return saved.entries;
  } catch { /* a corrupt entry is just a forgotten transcript */ }
  return [];
}

function remember(entry) {
  if (entry) state.history.push(entry);
  updateShareButton();
  state.history = state.history.slice(-HISTORY_LIMIT);
  const sessionId = localStorage.getItem(STORAGE_SESSION);
  try {
    localStorage.setItem(STORAGE_HISTORY, JSON.stringify({ sessionId, entries: state.history }));
  } catch { /* storage full or disabled: the chat still works, only the transcript is lost */ }
}

function restoreHistory() {
  addBubble('assistant', t.welcome);
  for (const entry of state.history) {
    if (entry.role === 'staff') {
      addStaffBubble(entry.operator || t.staffDefault, entry.text, entry.messageId);
      els.messages.scrollTop = els.messages.scrollHeight;
      continue;
    }
    const { item } = addBubble(entry.role, entry.text);
    if (entry.products) renderProducts(item, entry.products, entry.language);
  }
}

// ---------- connection ----------

function socketUrl() {
  const url = new URL('/v1/chat/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const session = localStorage.getItem(STORAGE_SESSION);
  const resume = localStorage.getItem(STORAGE_RESUME);
  const token = localStorage.getItem(STORAGE_TOKEN);
  if (session) url.searchParams.set('session', session);
  if (session && resume) url.searchParams.set('resume', resume);
  if (token) url.searchParams.set('token', token);
  return url.href;
}

function connect() {
  clearTimeout(state.reconnectTimer);
  setConnection('connecting', t.connecting);
  const ws = new WebSocket(socketUrl());
  state.ws = ws;
  ws.addEventListener('open', () => {
    state.connected = true;
    state.attempt = 0;
    setConnection('open', t.open);
    state.pingTimer = setInterval(() => {
      ws.send(JSON.stringify({ type: 'ping' }));
      // A socket can die silently (sleeping laptop, NAT timeout); a missing pong exposes it.
      state.pongTimer = setTimeout(() => ws.close(), PONG_GRACE_MS);
    }, PING_EVERY_MS);
  });
  ws.addEventListener('message', (event) => {
    let frame;
    try { frame = JSON.parse(event.data); } catch { return; }
    onFrame(frame);
  });
  ws.addEventListener('close', (event) => {
    if (state.ws !== ws) return;
    state.connected = false;
    clearInterval(state.pingTimer);
    clearTimeout(state.pongTimer);
    // Replies cut off mid-stream stay open: they are sent again once the next connection is up.
    scheduleReconnect(RESTART_CODES.has(event.code));
  });
}

function scheduleReconnect(restart = false) {
  if (!navigator.onLine) {
    setConnection('offline', t.offline);
    return;
  }
  // A planned restart is no failure: no backoff, and the next failure starts from the base again.
  if (restart) state.attempt = 0;
  // Full jitter keeps a fleet of reopened tabs from reconnecting in lockstep after an outage.
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** state.attempt++);
  const delay = restart ? Math.random() * RESTART_JITTER_MS : Math.max(250, Math.random() * ceiling);
  const due = Date.now() + delay;
  const tick = () => {
    const left = Math.ceil((due - Date.now()) / 1000);
    setConnection('reconnecting', t.reconnecting, t.seconds(Math.max(left, 0)));
    if (Date.now() >= due) connect();
    else state.reconnectTimer = setTimeout(tick, Math.min(1000, due - Date.now()));
  };
  tick();
}

window.addEventListener('online', () => { if (!state.connected) connect(); });

// ---------- share this conversation (a read-only link: POST /v1/shares) ----------

function updateShareButton() {
  if (!els.share) return;
  const answered = state.history.some((e) => e.role === 'assistant');
  els.share.hidden = !answered;
  els.share.disabled = !answered || !localStorage.getItem(STORAGE_SESSION);
}

function ownerHeaders(json) {
  const headers = json ? { 'content-type': 'application/json' } : {};
  const token = localStorage.getItem(STORAGE_TOKEN);
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

async function shareConversation() {
  els.share.disabled = true;
  try {
    const sessionId = localStorage.getItem(STORAGE_SESSION);
    const resumeToken = localStorage.getItem(STORAGE_RESUME) ?? undefined;
    const res = await fetch('/v1/shares', { method: 'POST', headers: ownerHeaders(true), body: JSON.stringify({ sessionId, resumeToken }) });
    if (res.status === 409) {
      following(() => addNotice(t.shareNothing));
      return;
    }
    if (res.status !== 201) {
      following(() => addErrorBubble(t.shareFailed));
      return;
    }
    const share = await res.json();
    following(() => showShareLink(share));
  } catch {
    following(() => addErrorBubble(t.shareFailed));
  } finally {
    updateShareButton();
  }
}

/** The link, a copy button and a way to take it back; the page only ever sets text and values. */
function showShareLink(share) {
  const bubble = addNotice(t.shareIntro);
  const panel = el('div', 'share-panel');
  const url = el('input', 'share-url');
  url.readOnly = true;
  url.value = share.url;
  url.setAttribute('aria-label', t.share);
  url.addEventListener('focus', () => url.select());
  const choices = el('div', 'choices');
  const copy = el('button', 'chip', t.shareCopy);
  copy.type = 'button';
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(share.url);
      copy.textContent = t.shareCopied;
    } catch {
      url.focus();
      url.select();
    }
  });
  const stop = el('button', 'chip', t.shareStop);
  stop.type = 'button';
  stop.addEventListener('click', async () => {
    stop.disabled = true;
    const resumeToken = localStorage.getItem(STORAGE_RESUME) ?? undefined;
    const res = await fetch(`/v1/shares/${encodeURIComponent(share.shareId)}`, { method: 'DELETE', headers: ownerHeaders(true), body: JSON.stringify({ resumeToken }) }).catch(() => undefined);
    if (res?.status === 200 || res?.status === 404) panel.replaceChildren(el('p', 'share-note', t.shareStopped));
    else stop.disabled = false;
  });
  choices.append(copy, stop);
  panel.append(url, choices);
  bubble.append(panel);
  url.focus();
  url.select();
}

els.share?.addEventListener('click', () => void shareConversation());

// ---------- composer ----------

function autoGrow() {
  els.input.style.height = 'auto';
  els.input.style.height = `${Math.min(els.input.scrollHeight, 160)}px`;
}

els.input.addEventListener('input', () => { autoGrow(); updateSendButton(); });
els.input.addEventListener('keydown', (event) => {
  // While a Japanese IME is composing, Enter confirms the conversion; it must not send.
  // keyCode 229 covers Safari, which reports isComposing=false on the confirming keydown.
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  els.form.requestSubmit();
});
els.form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (submit(els.input.value)) {
    els.input.value = '';
    autoGrow();
    updateSendButton();
  }
});

/**
 * A guest who has since signed in chooses whether the guest conversation becomes part of their
 * account (the server moves it when the guest's resume token comes with the sign-in) or stays
 * behind. Nothing connects until they choose.
 */
function start() {
  const signedIn = !!localStorage.getItem(STORAGE_TOKEN);
  const guestChat = localStorage.getItem(STORAGE_OWNER) === 'guest' && localStorage.getItem(STORAGE_SESSION) && localStorage.getItem(STORAGE_RESUME);
  if (!signedIn || !guestChat) {
    connect();
    return;
  }
  const item = addNotice(t.carryQuestion);
  const choices = el('div', 'choices');
  const choose = (keep) => {
    choices.remove();
    if (!keep) {
      for (const key of [STORAGE_SESSION, STORAGE_RESUME, STORAGE_OWNER, STORAGE_HISTORY]) localStorage.removeItem(key);
      state.history = [];
    }
    connect();
  };
  for (const [label, keep] of [[t.carryKeep, true], [t.carryNew, false]]) {
    const button = el('button', 'chip', label);
    button.type = 'button';
    button.addEventListener('click', () => choose(keep));
    choices.append(button);
  }
  item.append(choices);
}

applyLanguage();
restoreHistory();
updateShareButton();
start();
