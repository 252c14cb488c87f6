export {};
//# sourceMappingURL=Queue.js.map