export {};
//# sourceMappingURL=JobArtifact.js.map