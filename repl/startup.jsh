// StepTorch's JShell startup, run by `./lesson --jshell [STEP]` after JShell's default imports.
// A step gets the imports of the packages it has (step 1: dev.steptorch.ndarray instead).
import dev.steptorch.tensor.*;
import dev.steptorch.autograd.*;
import dev.steptorch.function.*;
import dev.steptorch.nn.*;
import dev.steptorch.optim.*;
import dev.steptorch.data.*;
import dev.steptorch.vision.*;
