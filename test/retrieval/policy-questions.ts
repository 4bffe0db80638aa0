/**
 * Store-policy questions as customers type them, with the knowledge-base section(s) that answer
 * each (`topic/heading`; several when more than one section answers it in full). Written from
 * trying the chat as a customer, both languages, not from the section headings.
 */
export interface PolicyQuestion {
  say: string;
  /** Earlier questions of the conversation, most recent first. */
  after?: string[];
  /** Acceptable sections: `<topic>/<start of the heading>`. */
  section: string[];
}

export const POLICY_QUESTIONS: PolicyQuestion[] = [
  // shipping
  { say: 'how much is shipping?', section: ['shipping/Domestic shipping fees'] },
  { say: 'how much do I need to spend to get it free?', after: ['how much is shipping?'], section: ['shipping/Domestic shipping fees'] },
  { say: 'whats the minimum order for free shipping', section: ['shipping/Domestic shipping fees'] },
  { say: 'and what about shipping to the US?', after: ['how much is shipping?'], section: ['shipping/International shipping'] },
  { say: 'do you ship to Canada? how much does it cost', section: ['shipping/International shipping'] },
  { say: 'who pays import duties on international orders?', section: ['shipping/International shipping'] },
  { say: 'which courier do you use?', section: ['shipping/Carriers'] },
  { say: 'do Prime members pay for shipping?', section: ['shipping/Domestic shipping fees', 'membership/Prime'] },
  { say: '送料はいくらですか？', section: ['shipping/国内の送料'] },
  { say: 'プライム会員だとどうなりますか？', after: ['送料はいくらですか？'], section: ['shipping/国内の送料', 'membership/プライム会員'] },
  { say: 'アメリカに送ってもらう場合、送料はいくらですか？', section: ['shipping/海外発送'] },
  { say: '何円以上で送料無料になりますか', section: ['shipping/国内の送料'] },
  { say: '配送業者はどこですか？', section: ['shipping/配送業者'] },
  { say: '在庫がある分だけ先に送ってもらえますか？', section: ['shipping/分割発送', 'preorders/在庫商品との同時注文'] },
  // payment
  { say: 'can I pay with PayPay?', section: ['payment-methods/PayPay'] },
  { say: 'what about bitcoin?', after: ['can I pay with PayPay?'], section: ['payment-methods/Not accepted'] },
  { say: 'do you take bitcoin', section: ['payment-methods/Not accepted'] },
  { say: 'how much is the cash on delivery fee?', section: ['payment-methods/Cash on delivery'] },
  { say: 'which credit cards do you accept?', section: ['payment-methods/Credit and debit cards'] },
  { say: 'can I pay with my docomo phone bill?', section: ['payment-methods/Carrier billing'] },
  { say: 'how long do I have to pay at the konbini?', section: ['payment-methods/Konbini payment'] },
  { say: 'when do I need to make the bank transfer by?', section: ['payment-methods/Bank transfer'] },
  { say: 'PayPayで払えますか？', section: ['payment-methods/PayPay'] },
  { say: '代引き手数料はいくらかかりますか', section: ['payment-methods/代金引換'] },
  { say: 'コンビニ払いの支払い期限って何日ですか？', section: ['payment-methods/コンビニ払い'] },
  { say: 'ビットコインは使えますか', section: ['payment-methods/ご利用いただけないもの'] },
  { say: '銀行振込はいつまでに振り込めばいいですか', section: ['payment-methods/銀行振込'] },
  // preorders
  { say: 'when am I charged for a preorder?', section: ['preorders/When you are charged'] },
  { say: 'Can I pay cash on delivery for it?', after: ['when am I charged for a preorder?'], section: ['preorders/When you are charged', 'payment-methods/Cash on delivery'] },
  { say: 'can guests preorder?', section: ['preorders/Who can preorder'] },
  { say: 'what if the price drops after I preorder?', section: ['preorders/Price guarantee'] },
  { say: 'will my preorder arrive on release day?', section: ['preorders/Release day delivery'] },
  { say: '予約した商品の代金っていつ引き落とされますか？', section: ['preorders/ご請求のタイミング'] },
  { say: '予約商品は発売日に届きますか', section: ['preorders/発売日のお届け'] },
  { say: 'ゲストでも予約できますか', section: ['preorders/ご予約いただける方'] },
  // returns
  { say: 'how do returns work?', section: ['returns/What you can return'] },
  { say: 'how long does the refund take?', after: ['how do returns work?'], section: ['returns/Refunds'] },
  { say: 'when will I get the refund?', section: ['returns/Refunds', 'cancellations/Refunds for cancelled orders'] },
  { say: 'my book arrived damaged, what should I do?', section: ['returns/Return shipping costs', 'returns/What you can return'] },
  { say: 'the cover of my manga was torn when it arrived', section: ['returns/Return shipping costs', 'returns/What you can return'] },
  { say: 'can I return a manga I already read?', section: ['returns/What you can return'] },
  { say: 'do I pay return shipping if I changed my mind?', section: ['returns/Return shipping costs'] },
  { say: 'how do I send a book back?', section: ['returns/How to return'] },
  { say: '買った漫画って返品できますか？', section: ['returns/返品できる商品'] },
  { say: '読まずに返品する場合、送料はかかりますか？', section: ['returns/返送料'] },
  { say: '届いた本の表紙が破れていました。どうしたらいいですか？', section: ['returns/返送料', 'returns/返品できる商品'] },
  { say: '返金はいつされますか', section: ['returns/返金', 'cancellations/キャンセル時の返金'] },
  { say: '違う巻が届きました', section: ['returns/返送料', 'returns/返品できる商品'] },
  // digital
  { say: 'can I get a refund on an ebook?', section: ['digital-editions/Refunds', 'returns/Digital editions'] },
  { say: 'how many devices can I read digital manga on?', section: ['digital-editions/Buying and reading'] },
  { say: 'can I read ebooks offline?', section: ['digital-editions/Buying and reading'] },
  { say: 'can I buy digital editions from outside Japan?', section: ['digital-editions/Availability'] },
  { say: '電子書籍って返金できますか？', section: ['digital-editions/返金について', 'returns/電子書籍'] },
  { say: '何台の端末で読めますか？', after: ['電子書籍って返金できますか？'], section: ['digital-editions/購入と閲覧'] },
  // cancellations
  { say: 'can I still cancel an order if it has not shipped yet?', section: ['cancellations/Before the order ships'] },
  { say: 'how do I cancel my order?', section: ['cancellations/Before the order ships'] },
  { say: 'can I cancel after it has shipped?', section: ['cancellations/After the order has shipped'] },
  { say: 'what happens if I refuse the delivery?', section: ['cancellations/After the order has shipped'] },
  { say: 'why was my order cancelled automatically?', section: ['cancellations/Automatic cancellations'] },
  { say: 'I bought the wrong ebook volume by mistake, can I cancel it?', section: ['cancellations/Digital editions'] },
  { say: '発送された後でもキャンセルできますか？', section: ['cancellations/発送後の場合'] },
  { say: '注文をキャンセルしたいです。まだ発送されていません', section: ['cancellations/発送前のキャンセル'] },
  { say: '予約はキャンセルできますか', section: ['cancellations/予約商品', 'preorders/キャンセル'] },
  // points
  { say: 'how many points do I earn on purchases?', section: ['points/Earning points'] },
  { say: 'do points expire?', after: ['how many points do I earn on purchases?'], section: ['points/Expiry'] },
  { say: 'when are points added to my account?', section: ['points/When points are added'] },
  { say: 'can I use points to pay for shipping?', section: ['points/Using points', 'payment-methods/MangaAssist points'] },
  { say: 'ポイントは何%たまりますか', section: ['points/ポイントの獲得'] },
  { say: 'ポイントの有効期限はありますか？', section: ['points/有効期限'] },
  // membership
  { say: 'How much does Prime cost?', section: ['membership/Prime'] },
  { say: 'is there a free trial?', after: ['How much does Prime cost?'], section: ['membership/Prime'] },
  { say: 'can I cancel whenever I want?', after: ['is there a free trial?', 'How much does Prime cost?'], section: ['membership/Joining, changing and cancelling'] },
  { say: 'what are the benefits of Prime?', section: ['membership/Prime'] },
  { say: 'is a membership free?', section: ['membership/Member (free)'] },
  { say: 'what happens if my Prime payment fails?', section: ['membership/If a payment fails'] },
  { say: 'プライム会員の料金はいくらですか', section: ['membership/プライム会員'] },
  { say: '無料体験はありますか？', after: ['プライム会員の料金はいくらですか'], section: ['membership/プライム会員'] },
  { say: 'プライムはいつでも解約できますか', section: ['membership/入会・変更・解約'] },
  // delivery times
  { say: 'how long does delivery take to Hokkaido?', section: ['delivery-times/Standard domestic delivery'] },
  { say: "what's the cutoff time for same-day shipping?", section: ['delivery-times/When your order leaves the warehouse'] },
  { say: 'do you ship during the New Year holidays?', section: ['delivery-times/When your order leaves the warehouse', 'contact-support/Business days'] },
  { say: 'can I choose a delivery time?', section: ['delivery-times/Choosing a time slot'] },
  { say: 'how long does EMS take?', section: ['delivery-times/International delivery'] },
  { say: '北海道だと注文してから何日くらいで届きますか？', section: ['delivery-times/国内の通常配送'] },
  { say: '当日発送の締め切りは何時ですか？', section: ['delivery-times/倉庫からの発送'] },
  { say: '年末年始も発送してますか？', section: ['delivery-times/倉庫からの発送'] },
  { say: '配達の時間帯は指定できますか', section: ['delivery-times/お届け時間帯の指定'] },
  // gift wrapping
  { say: 'how much is gift wrapping?', section: ['gift-wrapping/Price and options'] },
  { say: 'can I add a message card?', section: ['gift-wrapping/Price and options'] },
  { say: "will the parcel show the price? it's a present", section: ['gift-wrapping/Price-free delivery slip'] },
  { say: 'プレゼント用にラッピングってできますか？料金はかかりますか？', section: ['gift-wrapping/料金と種類'] },
  // account
  { say: 'how do I create an account?', section: ['account/Creating an account'] },
  { say: 'I forgot my password', section: ['account/Signing in and security'] },
  { say: 'how do I delete my account?', section: ['account/Deleting your account'] },
  { say: 'can I buy without an account?', section: ['account/Guest checkout'] },
  { say: 'パスワードは何文字以上必要ですか', section: ['account/アカウントの作成'] },
  { say: '退会したいです', section: ['account/アカウントの削除'] },
  // contact
  { say: "what's your phone number?", section: ['contact-support/Phone'] },
  { say: 'what hours are your human support agents available in the chat?', section: ['contact-support/Chat'] },
  { say: 'what is your support email?', section: ['contact-support/Email and contact form'] },
  { say: '電話で問い合わせたいんですけど、番号を教えてください', section: ['contact-support/お電話'] },
  { say: 'スタッフと話せる時間は何時から何時までですか', section: ['contact-support/チャット'] },
  // age-restricted
  { say: 'how can I buy 18+ manga on your store?', section: ['age-restricted/How age confirmation works'] },
  { say: 'do you ship adult manga overseas?', section: ['age-restricted/Delivery', 'shipping/International shipping'] },
  { say: '18禁の漫画はどうやって買えますか', section: ['age-restricted/年齢確認の流れ'] },
  // tracking
  { say: 'my tracking number shows nothing', section: ['order-tracking/Tracking numbers'] },
  { say: 'it says delivered but I never got my parcel', section: ['order-tracking/Missing'] },
  { say: 'what does processing mean on my order?', section: ['order-tracking/Order statuses'] },
  { say: '配達完了になっているのに届いていません', section: ['order-tracking/「配達完了」'] },
];
