export {};
//# sourceMappingURL=words.js.map