// MangaAssist: a shared conversation, read-only (GET /v1/shared/:id). Everything shown was
// written by the conversation's owner and the assistant, so it only ever reaches the page through
// textContent; the page's Content-Security-Policy allows no other script and no other origin.

import { cardTitles, coverFor, el, renderRichText } from './dom.js';

const LABELS = {
  en: {
    title: 'A shared conversation',
    log: 'Shared conversation',
    start: 'Start your own chat',
    you: 'Customer',
    assistant: 'MangaAssist',
    loading: 'Loading…',
    sharedOn: (date) => `Shared on ${date}. Prices and stock may have changed since; the store shows today's.`,
    missing: 'This shared conversation does not exist, has expired, or was removed by the person who shared it.',
    busy: (s) => `This conversation cannot be shown right now. Trying again in ${s}s…`,
    failed: 'This conversation cannot be shown right now. Please reload the page in a little while.',
    products: 'Products mentioned in this answer',
    leftOut: {
      orders: 'A question about an order was left out of this shared copy.',
      handoff: 'A request to talk to store staff was left out of this shared copy.',
      not_for_everyone: 'Part of this conversation is not shown to everyone and was left out.',
    },
  },
  ja: {
    title: '共有された会話',
    log: '共有された会話',
    start: '自分でチャットを始める',
    you: 'お客様',
    assistant: 'マンガアシスト',
    loading: '読み込み中…',
    sharedOn: (date) => `${date}に共有されました。価格や在庫はその後変わっている場合があります。最新の情報はストアでご確認ください。`,
    missing: 'この共有された会話は存在しないか、期限が切れたか、共有した方により削除されました。',
    busy: (s) => `ただいまこの会話を表示できません。${s}秒後に再試行します…`,
    failed: 'ただいまこの会話を表示できません。しばらくしてからページを再読み込みしてください。',
    products: 'この回答で紹介した商品',
    leftOut: {
      orders: 'ご注文に関するやり取りは共有されていません。',
      handoff: 'スタッフへのお問い合わせは共有されていません。',
      not_for_everyone: 'この会話の一部は、すべての方には表示できないため省略されています。',
    },
  },
};

const lang = /^ja\b/i.test(navigator.languages?.[0] ?? navigator.language ?? '') ? 'ja' : 'en';
const t = LABELS[lang];
const MAX_ATTEMPTS = 5;

const els = {
  messages: document.getElementById('messages'),
  sub: document.getElementById('shared-sub'),
};



// A shared card says what the book is; its price and stock were those of the day it was shared.
function productCard(item, language) {
  const card = el('li', 'card');
  const info = el('div', 'card-info');
  info.append(...cardTitles(item, language));
  if (Array.isArray(item.authors) && item.authors.length) info.append(el('p', 'card-author', item.authors.join(', ')));
  if (typeof item.volume === 'number') info.append(el('span', 'card-volume', language === 'ja' ? `${item.volume}巻` : `Vol. ${item.volume}`));
  card.append(coverFor({ title: String(item.title ?? '?'), titleJa: item.titleJa }), info);
  return card;
}

function renderMessage(m) {
  if (m.role === 'note') {
    const item = el('li', 'msg msg-left-out');
    item.append(el('div', 'bubble', t.leftOut[m.leftOut] ?? t.leftOut.not_for_everyone));
    return item;
  }
  const role = m.role === 'user' ? 'user' : 'assistant';
  const item = el('li', `msg msg-${role}`);
  if (m.language === 'ja' || m.language === 'en') item.lang = m.language;
  const bubble = el('div', 'bubble');
  const body = el('div', 'bubble-text');
  bubble.append(el('span', 'visually-hidden', `${role === 'user' ? t.you : t.assistant}: `), body);
  renderRichText(body, String(m.text ?? ''));
  item.append(bubble);
  if (Array.isArray(m.cards) && m.cards.length) {
    const list = el('ul', 'cards');
    list.setAttribute('aria-label', t.products);
    list.tabIndex = 0;
    list.append(...m.cards.map((c) => productCard(c, m.language === 'ja' || m.language === 'en' ? m.language : lang)));
    item.append(list);
  }
  return item;
}

function show(view) {
  const date = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(view.createdAt));
  els.sub.textContent = t.sharedOn(date);
  els.messages.replaceChildren(...view.messages.map(renderMessage));
}

async function load(attempt = 1) {
  const id = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
  let res;
  try {
    res = await fetch(`/v1/shared/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' } });
  } catch {
    res = undefined;
  }
  if (res?.status === 200) {
    show(await res.json());
    return;
  }
  if (res?.status === 404) {
    els.sub.textContent = t.missing;
    return;
  }
  // Busy (503) or unreachable: come back when the service says, spread so a crowd of readers
  // does not return in step, a few times, then leave it to the reader.
  if (attempt >= MAX_ATTEMPTS) {
    els.sub.textContent = t.failed;
    return;
  }
  const after = Number(res?.headers.get('retry-after')) || 2;
  const waitMs = after * 1000 * (1 + Math.random());
  els.sub.textContent = t.busy(Math.ceil(waitMs / 1000));
  setTimeout(() => load(attempt + 1), waitMs);
}

document.documentElement.lang = lang;
for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t[node.dataset.i18n];
for (const node of document.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t[node.dataset.i18nLabel]);
els.sub.textContent = t.loading;
load();
