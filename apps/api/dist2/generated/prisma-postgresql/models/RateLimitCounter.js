export {};
//# sourceMappingURL=RateLimitCounter.js.map