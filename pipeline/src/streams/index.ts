export {
  InvalidMessage,
  TOPICS,
  topicNames,
  type Topics,
  parseQuote,
  parseTrade,
  quoteMessage,
  tradeMessage,
  type OrderMessage,
  type QuoteMessage,
  type TradeMessage,
} from './messages.ts';
export { ensureTopics, kafkaClient, KAFKA_DEFAULTS } from './kafka.ts';
export { kafkaAuth, type KafkaAuth, type MskTokenSigner } from './kafka-auth.ts';
