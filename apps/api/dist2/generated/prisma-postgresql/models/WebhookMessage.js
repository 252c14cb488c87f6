export {};
//# sourceMappingURL=WebhookMessage.js.map