export {};
//# sourceMappingURL=JobEvent.js.map