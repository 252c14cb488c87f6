import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
/** The repository root, found from this file whether it runs from src/ (tests) or dist/ (built). */
function findRepoRoot() {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, "prisma", "models.prisma"))) {
        const parent = dirname(dir);
        if (parent === dir)
            throw new Error("cannot find the jobdeck repository root (prisma/models.prisma)");
        dir = parent;
    }
    return dir;
}
export const repoRoot = findRepoRoot();
export const migrationsDir = (provider) => join(repoRoot, "prisma", provider, "migrations");
export const webDistDir = join(repoRoot, "apps", "web", "dist");
//# sourceMappingURL=paths.js.map