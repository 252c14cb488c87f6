export {};
//# sourceMappingURL=BulkOperation.js.map