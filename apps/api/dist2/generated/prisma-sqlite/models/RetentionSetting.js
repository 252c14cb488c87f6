export {};
//# sourceMappingURL=RetentionSetting.js.map