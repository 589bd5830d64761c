package dev.steptorch.serialization;

import java.io.IOException;

/** A pickle that StepTorch will not or cannot read; the message names the problem (and, from the loaders, the file). */
public class UnpicklingError extends IOException {
    public UnpicklingError(String message) {
        super(message);
    }
}
