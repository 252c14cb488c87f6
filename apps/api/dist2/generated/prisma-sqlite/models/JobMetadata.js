export {};
//# sourceMappingURL=JobMetadata.js.map