/**
 * What the assistant knows about the store without looking anything up: one short summary per
 * knowledge-base topic, in English and Japanese. It is the local engine's counterpart of an LLM's
 * system prompt, used when retrieval (and with it the knowledge base) is down — the design's
 * "RAG / Knowledge Base down → use LLM with system knowledge only".
 *
 * Hand-curated from data/kb/{en,ja}/<topic>.md and compiled in on purpose: it must answer when
 * data/ cannot be read. Every number, path and address here is copied from that topic's file;
 * test/llm/built-in-knowledge.test.ts checks it, so an edit of the KB that changes a fact fails
 * the test until this table is updated too.
 */

/** One topic in one language. */
export interface BuiltInEntry {
  /** The topic's title, as the KB file's heading. */
  title: string;
  /** Words and phrases a customer asking about this topic is likely to use. */
  keywords: string[];
  /** The topic's key facts in one or two sentences. */
  summary: string;
}

/** One KB topic in both languages. */
export interface BuiltInTopic {
  en: BuiltInEntry;
  ja: BuiltInEntry;
}

/** Topic id (the KB file name without `.md`) → its built-in summary. */
export const BUILT_IN_KNOWLEDGE: Readonly<Record<string, BuiltInTopic>> = {
  returns: {
    en: {
      title: 'Returns and Refunds',
      keywords: ['return', 'returns', 'returning', 'refund', 'refunds', 'money back', 'exchange', 'defective', 'damaged', 'misprint', 'missing pages', 'wrong item', 'unopened', 'send back'],
      summary:
        'You can return items within 30 days of delivery if they are unopened, defective or not what you ordered; opened items that are not defective cannot be returned. ' +
        'We pay return shipping for defective or wrong items, ¥350 is deducted for unopened items returned because you changed your mind, and refunds are issued within 5 to 7 business days after the return reaches our warehouse.',
    },
    ja: {
      title: '返品・返金について',
      keywords: ['返品', '返金', '交換', '不良品', '破損', '落丁', '乱丁', '誤配送', '未開封', '返送'],
      summary:
        '商品到着から30日以内で、未開封・不良品・誤配送のいずれかにあてはまる場合に返品を承ります（開封済みで不良のない商品は返品できません）。' +
        '不良品・誤配送の返送料は当店負担、お客さまのご都合による未開封品の返品は返送料350円を差し引き、商品が倉庫に到着してから5〜7営業日以内に返金いたします。',
    },
  },
  shipping: {
    en: {
      title: 'Shipping',
      keywords: ['ship', 'shipping', 'shipping fee', 'shipping cost', 'postage', 'free shipping', 'delivery fee', 'delivery charge', 'how much', 'carrier', 'international', 'overseas', 'abroad', 'EMS', 'ePacket', 'Yu-Packet'],
      summary:
        'Domestic orders of ¥2,000 or more ship free, orders under ¥2,000 cost a flat ¥350 anywhere in Japan, and Prime members get free domestic shipping on every order. ' +
        'International orders ship by Japan Post (EMS or ePacket) from ¥1,200 per parcel up to 1 kg, ship free by ePacket from ¥15,000, and can be paid by credit card only.',
    },
    ja: {
      title: '配送について',
      keywords: ['送料', '配送料', '送料無料', '配送', '発送', '配送業者', '海外', '海外発送', '国際', 'ゆうパケット'],
      summary:
        '国内のご注文は2,000円以上で送料無料、2,000円未満は全国一律350円で、プライム会員の方は金額にかかわらず国内配送が無料です。' +
        '海外へは日本郵便（EMSまたは国際eパケット）でお送りし、1kgまで1,200円から、15,000円以上のご注文は国際eパケットで送料無料です（お支払いはクレジットカードのみ）。',
    },
  },
  'delivery-times': {
    en: {
      title: 'Delivery Times',
      keywords: ['delivery time', 'shipping time', 'how long', 'how soon', 'when will', 'arrive', 'arrival', 'next day', 'next-day', 'same day', 'time slot', 'delay', 'delayed', 'late'],
      summary:
        'Orders paid by 15:00 JST ship the same day (every day except January 1 to 3), and standard domestic delivery takes from the next day in Kanto, Chubu and Kansai to 3 to 5 days for Okinawa and remote islands. ' +
        'Prime members get next-day delivery in major cities for orders placed by 15:00 JST; international delivery takes 3 to 7 business days by EMS or 7 to 14 by ePacket.',
    },
    ja: {
      title: 'お届け日数について',
      keywords: ['お届け日数', '届く', '到着', 'いつ届', '何日', '翌日', '当日発送', '時間帯', '時間指定', '遅延', '遅れ'],
      summary:
        '午後3時（日本時間）までにお支払いが完了したご注文は当日発送し（1月1日〜3日を除き毎日出荷）、国内の通常配送は関東・中部・関西なら翌日、沖縄・離島は3〜5日が目安です。' +
        'プライム会員の方は午後3時までのご注文で主要都市へ翌日お届けし、海外へはEMSで3〜7営業日、国際eパケットで7〜14営業日です。',
    },
  },
  'payment-methods': {
    en: {
      title: 'Payment Methods',
      keywords: ['payment', 'pay', 'payment method', 'credit card', 'debit card', 'card', 'konbini', 'convenience store', 'PayPay', 'carrier billing', 'bank transfer', 'cash on delivery', 'COD'],
      summary:
        'We accept credit and debit cards (Visa, Mastercard, JCB, American Express, Diners Club), konbini payment (pay within 3 days), PayPay, carrier billing, bank transfer (within 7 days) and cash on delivery (¥330 fee, orders up to ¥50,000), and MangaAssist points (1 point = ¥1) combine with any of them. ' +
        'International orders can be paid by credit card only.',
    },
    ja: {
      title: 'お支払い方法',
      keywords: ['支払', '支払い方法', '決済', 'クレジットカード', 'カード', 'コンビニ払い', 'コンビニ', 'キャリア決済', '銀行振込', '振込', '代金引換', '代引'],
      summary:
        'クレジットカード・デビットカード（Visa、Mastercard、JCB、American Express、ダイナースクラブ）、コンビニ払い（3日以内にお支払い）、PayPay、キャリア決済、銀行振込（7日以内）、代金引換（代引き手数料330円、5万円まで）がご利用いただけ、マンガアシストポイント（1ポイント=1円）はどのお支払い方法とも併用できます。' +
        '海外からのご注文はクレジットカードのみとなります。',
    },
  },
  points: {
    en: {
      title: 'MangaAssist Points',
      keywords: ['points', 'point', 'earn points', 'use points', 'points balance', 'expire', 'expiry', 'reward'],
      summary:
        'Signed-in purchases earn points on the item price, 1% for members and 3% for Prime members, added when a print order is delivered (immediately for digital editions); guest orders earn no points. ' +
        'Each point is worth ¥1 for items, shipping and gift wrapping, and points stay valid for 12 months from the last time you earned points.',
    },
    ja: {
      title: 'マンガアシストポイント',
      keywords: ['ポイント', '貯まる', '有効期限', '失効', 'ポイント残高'],
      summary:
        'ログインしてのお買い物で、商品代金に応じて一般会員は1%、プライム会員は3%のポイントが貯まり、紙の本はお届け完了時、電子書籍はお支払い後すぐに付与されます（ゲスト購入では貯まりません）。' +
        '1ポイント=1円として商品代金・送料・ギフトラッピング代に使え、有効期限は最後にポイントを獲得した日から12か月です。',
    },
  },
  membership: {
    en: {
      title: 'Membership and Prime',
      keywords: ['prime', 'membership', 'member', 'subscription', 'subscribe', 'free trial', 'trial', 'how much', 'monthly', 'yearly', 'annual', 'cancel prime'],
      summary:
        'A member account is free and earns 1% points; Prime costs ¥500 per month or ¥4,900 per year (tax included), with a 30-day free trial for first-time subscribers. ' +
        'Prime brings free domestic shipping on every order, next-day delivery in major cities, 3% points and early access to limited editions 48 hours before other customers, and can be cancelled any time at /account/membership.',
    },
    ja: {
      title: '会員・プライム会員について',
      keywords: ['プライム', 'プライム会員', '会員', '一般会員', '月額', '年額', '無料体験', '入会', '解約', '会費'],
      summary:
        '一般会員は無料でポイントは1%、プライム会員は月額500円または年額4,900円（税込）で、初めての方は30日間の無料体験をご利用いただけます。' +
        'プライム会員には国内配送の送料無料、主要都市への翌日お届け、ポイント3%、限定版の先行予約（一般のお客さまより48時間早く受付）などの特典があり、/account/membership からいつでも解約できます。',
    },
  },
  preorders: {
    en: {
      title: 'Preorders',
      keywords: ['preorder', 'preorders', 'pre-order', 'reserve', 'reservation', 'upcoming volume', 'release date', 'tokuten', 'preorder bonus'],
      summary:
        'Upcoming volumes can usually be preordered 1 to 6 months before release by signed-in members (guests cannot preorder), and you are charged when the item ships, at the lower price if it drops before then. ' +
        'Preorders can be cancelled free of charge any time before they ship from /orders; cash on delivery is not available for preorders.',
    },
    ja: {
      title: '予約注文について',
      keywords: ['予約', '予約注文', '予約商品', '発売日', '新刊', '予約特典', '特典'],
      summary:
        '発売予定の新刊は通常発売の1〜6か月前から、ログインした会員の方がご予約いただけます（ゲスト購入では予約できません）。代金は商品の発送時に請求し、それまでに価格が下がった場合は安いほうの価格となります。' +
        '予約注文は発送前であればいつでも /orders から無料でキャンセルでき、代金引換はご利用いただけません。',
    },
  },
  cancellations: {
    en: {
      title: 'Cancelling an Order',
      keywords: ['cancel', 'cancelling', 'canceling', 'cancellation', 'cancel order', 'refuse delivery', 'change my order'],
      summary:
        'You can cancel free of charge at /orders while the order is Pending payment or Processing; shipped orders cannot be cancelled, but you can refuse the delivery (refunded minus ¥700 for shipping both ways) or return unopened items within 30 days. ' +
        'Refunds for cancelled orders are made within 5 to 7 business days.',
    },
    ja: {
      title: 'ご注文のキャンセルについて',
      keywords: ['キャンセル', '注文取消', '取り消', '受け取り辞退', '受取拒否', '辞退'],
      summary:
        'ご注文のステータスが「入金待ち」または「処理中」の間は /orders から無料でキャンセルできます。' +
        '発送済みのご注文はキャンセルできませんが、受け取りを辞退する（往復の送料700円を差し引いて返金）か、未開封のまま30日以内に返品でき、キャンセル時の返金は5〜7営業日以内に行います。',
    },
  },
  'order-tracking': {
    en: {
      title: 'Order Tracking',
      keywords: ['track', 'tracking', 'tracking number', 'order status', 'where is my order', 'delivered', 'not received', 'lost parcel', 'parcel'],
      summary:
        "Sign in and open /orders to see every order's status and, once shipped, the carrier and tracking number (it can take up to 24 hours to appear on the carrier's site); guests can use the link in their confirmation email. " +
        'If the estimated delivery date has passed by more than 2 days and tracking has not moved, contact us and we will investigate with the carrier.',
    },
    ja: {
      title: 'ご注文状況の確認',
      keywords: ['追跡', '追跡番号', 'お問い合わせ番号', '注文状況', 'ステータス', '配達完了', '届かない', '届いていない', '紛失'],
      summary:
        'ログインして /orders を開くと、すべてのご注文のステータスと、発送後は配送業者とお問い合わせ番号を確認できます（配送業者のサイトへの反映には最大24時間かかることがあります）。ゲスト購入の場合はご注文確認メールのリンクからご確認ください。' +
        'お届け予定日を2日以上過ぎても追跡情報が更新されない場合はご連絡ください。配送業者に調査を依頼します。',
    },
  },
  'digital-editions': {
    en: {
      title: 'Digital Editions',
      keywords: ['digital', 'digital edition', 'ebook', 'e-book', 'read online', 'reader app', 'library', 'download', 'devices'],
      summary:
        'Digital editions can be read immediately after payment at /library or in the MangaAssist Reader app on up to 5 devices, and can be paid by credit card, PayPay, carrier billing or points. ' +
        'They are non-refundable once purchased, except for a defect reported within 30 days of purchase.',
    },
    ja: {
      title: '電子書籍について',
      keywords: ['電子書籍', '電子版', '電子', 'デジタル', 'リーダー', 'アプリ', '本棚', 'ダウンロード', '端末'],
      summary:
        '電子書籍はお支払い完了後すぐに /library またはマンガアシストリーダーアプリでお読みいただけ、同時に5台までの端末でご利用いただけます。' +
        'お支払いはクレジットカード、PayPay、キャリア決済、ポイントのみで、原則として返金できませんが、不具合は購入から30日以内にご連絡いただければ差し替えまたは返金で対応いたします。',
    },
  },
  'gift-wrapping': {
    en: {
      title: 'Gift Wrapping',
      keywords: ['gift', 'gift wrap', 'gift wrapping', 'wrap', 'wrapping', 'present', 'message card'],
      summary:
        'Gift wrapping costs ¥220 per wrap (up to 5 tankobon volumes), with seasonal, sakura or plain kraft paper and a free message card, and the delivery slip then shows no prices. ' +
        'It is not available for digital editions.',
    },
    ja: {
      title: 'ギフトラッピングについて',
      keywords: ['ギフト', 'ラッピング', 'ギフトラッピング', 'プレゼント', '包装', 'メッセージカード', '贈り物'],
      summary:
        'ギフトラッピングは1包装につき220円（単行本5冊まで）で、季節のデザイン・桜柄・リボン付きのクラフト紙からお選びいただけ、メッセージカードは無料です。' +
        '納品書には金額を記載せず、電子書籍にはご利用いただけません。',
    },
  },
  'age-restricted': {
    en: {
      title: 'Age-Restricted Titles',
      keywords: ['age', 'age-restricted', 'age restricted', 'adult', '18+', 'age verification', 'age confirmation', 'mature', 'over 18'],
      summary:
        'Titles marked 18+ are sold only to signed-in customers aged 18 or over who registered their date of birth and confirmed their age at sign-in; they are never sold to guests. ' +
        'They ship in plain packaging within Japan only and are not sold as digital editions.',
    },
    ja: {
      title: '年齢制限のある作品について',
      keywords: ['年齢制限', '年齢確認', '成人向け', '18歳', '18+', '成人', '生年月日'],
      summary:
        '18+マークの作品は、生年月日を登録し、ログイン時に18歳以上であることを確認したお客さまにのみ販売しており、ゲスト購入では一切販売しません。' +
        '中身がわからない無地の梱包で国内のみにお届けし、電子書籍としては販売していません。',
    },
  },
  account: {
    en: {
      title: 'Your Account',
      keywords: ['account', 'register', 'sign up', 'signup', 'password', 'sign in', 'login', 'log in', 'locked', 'delete account', 'email address', 'two-step', '2-step'],
      summary:
        'Register at /account/register with your email and a password of at least 10 characters; a member account is free. ' +
        'After 5 failed sign-in attempts the account is locked for 30 minutes, and a password reset link is valid for 1 hour.',
    },
    ja: {
      title: 'アカウントについて',
      keywords: ['アカウント', '登録', '会員登録', 'パスワード', 'ログイン', 'ロック', '退会', '削除', '2段階認証'],
      summary:
        '/account/register から、メールアドレスと10文字以上のパスワードでご登録いただけます（一般会員は無料です）。' +
        'ログインに5回失敗すると30分間アカウントがロックされ、パスワード再設定のリンクの有効期限は1時間です。',
    },
  },
  'contact-support': {
    en: {
      title: 'Contact Support',
      keywords: ['contact', 'support', 'customer service', 'phone', 'phone number', 'call', 'email', 'human', 'agent', 'talk to a person', 'opening hours', 'business hours'],
      summary:
        'Human agents answer in the chat from 10:00 to 19:00 JST every day (except January 1 to 3), and the form at /support or support@mangaassist-books.example gets a reply within 1 business day. ' +
        'By phone: 0120-370-841 (toll free, weekdays 10:00 to 18:00 JST).',
    },
    ja: {
      title: 'お問い合わせ',
      keywords: ['問い合わせ', 'お問い合わせ', 'サポート', '電話', '電話番号', 'メール', 'スタッフ', '窓口', '営業時間'],
      summary:
        'スタッフは毎日10時〜19時（日本時間、1月1日〜3日を除く）にチャットで対応し、/support のフォームまたは support@mangaassist-books.example へのお問い合わせには1営業日以内にご返信します。' +
        'お電話は0120-370-841（フリーダイヤル、平日10時〜18時）です。',
    },
  },
};
