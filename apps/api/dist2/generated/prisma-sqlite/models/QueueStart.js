export {};
//# sourceMappingURL=QueueStart.js.map