export {};
//# sourceMappingURL=Webhook.js.map