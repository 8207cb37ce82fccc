// Runs before every test file (vitest setupFiles), also when a worker is reused for several files.
import { afterAll } from "vitest";
import { removeTempDirs } from "./helpers.js";

afterAll(removeTempDirs);
