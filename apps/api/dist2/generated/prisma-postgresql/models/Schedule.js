export {};
//# sourceMappingURL=Schedule.js.map