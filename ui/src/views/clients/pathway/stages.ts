// The stages on a client's record, in the order their sections show. A stage is added here by
// one line (and its steps to `Step` in lib/pathway.ts).
import type { PathwayStage } from "./stage";
import custody from "./custody";
import court from "./court";
import drr from "./drr";
import prison from "./prison";
import notes from "./notes";

export const STAGES: readonly PathwayStage[] = [custody, court, drr, prison, notes];
