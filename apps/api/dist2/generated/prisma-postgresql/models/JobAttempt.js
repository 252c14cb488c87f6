export {};
//# sourceMappingURL=JobAttempt.js.map