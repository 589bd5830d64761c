package dev.steptorch.nn.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.nn.Checkpoints;
import dev.steptorch.nn.Conv2d;
import dev.steptorch.nn.F;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MaxPool2d;
import dev.steptorch.nn.Module;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A model's state_dict: its keys and sizes, saved to a safetensors file and loaded into a fresh model.
 *
 * <p>A state_dict maps each parameter and buffer to its tensor under a dotted name
 * ({@code conv1.weight}); layers without parameters, such as the max pooling, have no entries.
 * {@code torch.save} would pickle the dict; StepTorch writes the safetensors format instead, a
 * JSON header that names, types and places each tensor, followed by the raw bytes. The lesson
 * prints the state_dict as the notes do, saves it, shows the file's header, loads the file into
 * a second model that started from other random weights, and checks that both now give the same
 * output.
 */
public final class StateDictTour {
    private StateDictTour() {
    }

    /** The notes' TheModelClass: the blitz's LeNet for 3-channel 32x32 images, with the pooling as a module. */
    public static final class TheModelClass extends Module {
        private final Conv2d conv1 = registerModule("conv1", new Conv2d(3, 6, 5));
        private final MaxPool2d pool = registerModule("pool", new MaxPool2d(2, 2));
        private final Conv2d conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
        private final Linear fc1 = registerModule("fc1", new Linear(16 * 5 * 5, 120));
        private final Linear fc2 = registerModule("fc2", new Linear(120, 84));
        private final Linear fc3 = registerModule("fc3", new Linear(84, 10));

        @Override
        public Tensor forward(Tensor x) {
            x = pool.call(F.relu(conv1.call(x)));
            x = pool.call(F.relu(conv2.call(x)));
            x = x.view(-1, 16 * 5 * 5);
            x = F.relu(fc1.call(x));
            x = F.relu(fc2.call(x));
            return fc3.call(x);
        }
    }

    public static void main(String[] args) throws IOException {
        Cli.lesson(args, "StateDictTour",
                "A model's state_dict: its keys and sizes, saved to a safetensors file and loaded into a fresh model.",
                "./lesson StateDictTour");
        Path file = Files.createTempFile("steptorch-model", ".safetensors");
        try {
            run(0, file, System.out);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs the tour, saving to {@code file}; returns whether the loaded model's output equals the saved one's. */
    public static boolean run(long seed, Path file, PrintStream out) throws IOException {
        Torch.manualSeed(seed);
        TheModelClass model = new TheModelClass();

        out.println("Model's state_dict:");
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            out.println(e.getKey() + " \t " + e.getValue().size());
        }

        // torch.save(model.state_dict(), PATH), as a safetensors file.
        Checkpoints.saveStateDict(model, file);
        out.println("saved " + Files.size(file) + " bytes");
        // one tensor per line, for reading
        out.println("header: " + header(file).replace("},\"", "},\n  \""));

        // model = TheModelClass(); model.load_state_dict(torch.load(PATH)); model.eval()
        TheModelClass loaded = new TheModelClass();
        Tensor input = Torch.randn(1, 3, 32, 32);
        out.println("fresh model, same output: " + pythonBool(loaded.call(input).equal(model.call(input))));
        Module.LoadResult result = Checkpoints.loadStateDict(loaded, file, true);
        out.println("missing keys: " + result.missingKeys() + ", unexpected keys: " + result.unexpectedKeys());
        // eval() matters for dropout and batch norm, which behave differently in training; this model has neither.
        loaded.eval();
        model.eval();
        boolean same = loaded.call(input).equal(model.call(input));
        out.println("loaded model, same output: " + pythonBool(same));
        return same;
    }

    /** The JSON header of a safetensors file: an 8-byte little-endian length, then that many bytes of JSON. */
    static String header(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            return new String(Arrays.copyOfRange(bytes, 8, 8 + (int) n), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pythonBool(boolean b) {
        return b ? "True" : "False";
    }
}
