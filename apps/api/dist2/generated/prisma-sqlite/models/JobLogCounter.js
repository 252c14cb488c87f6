export {};
//# sourceMappingURL=JobLogCounter.js.map