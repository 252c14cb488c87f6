export {};
//# sourceMappingURL=BulkOperationItem.js.map