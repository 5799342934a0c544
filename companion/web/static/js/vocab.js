// The fixed vocabularies of the rule model (companion/rules/models.py) and the intent
// taxonomy (shared/docs/intents.md). Ids are the contract; names are localised by key.

export const PILLARS = ["pre_sale", "logistics", "after_sale", "general"];
export const INTENTS = {
  stock: "pre_sale", product_spec: "pre_sale", size_advice: "pre_sale", promotion: "pre_sale",
  recommendation: "pre_sale", order_status: "logistics", shipping_fee: "logistics",
  tracking_number: "logistics", address_change: "logistics", return_refund: "after_sale",
  item_problem: "after_sale", product_usage: "after_sale", warranty: "after_sale",
  cancel_order: "after_sale", greeting: "general", human_agent: "general", other: "general",
};
export const LANGS = ["zh-Hans", "zh-Hant", "en", "id", "vi", "th", "ms", "tl", "pt", "es"];
export const ORDER_STATUSES = [
  "UNPAID", "READY_TO_SHIP", "PROCESSED", "RETRY_SHIP", "SHIPPED", "TO_CONFIRM_RECEIVE",
  "IN_CANCEL", "CANCELLED", "TO_RETURN", "COMPLETED", "INVOICE_PENDING", "PENDING",
];
export const ACTIONS = ["auto_reply", "suggest", "escalate", "set_order_note", "tag"];
export const ENTITIES = ["order_sn", "item_id", "size", "height", "weight", "foot_length", "quantity"];
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const PLACEHOLDERS = [
  "buyer_name", "order_sn", "order_status", "tracking_number", "carrier", "last_tracking_event",
  "last_tracking_time", "eta", "ship_by_date", "item_name", "variant_name", "variant_stock",
  "in_stock_variants", "shipping_fee", "shop_name", "voucher_code", "item_attribute",
  "attribute_name", "recommended_size", "size_reason", "nearest_size", "size_question",
  "recommendations", "recommendation_links", "which_item",
];
export const LISTING_STATUSES = ["answer", "ask", "suggest", "none"];
