export {};
//# sourceMappingURL=JobTag.js.map