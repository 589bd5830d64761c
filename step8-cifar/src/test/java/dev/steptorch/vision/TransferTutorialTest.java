package dev.steptorch.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.nn.Checkpoints;
import dev.steptorch.nn.Module;
import dev.steptorch.nn.SavedModel;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.vision.lessons.TransferTutorial;
import dev.steptorch.vision.models.ResNet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tutorial's own run (ants and bees layout) on a tiny synthetic folder, with a narrow ResNet to stay quick. */
class TransferTutorialTest {
    @TempDir
    Path dir;

    private Path folder() throws IOException {
        Path data = dir.resolve("hymenoptera_data");
        Random random = new Random(3);
        for (String split : List.of("train", "val")) {
            for (String c : List.of("ants", "bees")) {
                for (int k = 0; k < (split.equals("train") ? 3 : 2); k++) {
                    Path f = data.resolve(split).resolve(c).resolve(k + ".png");
                    Files.createDirectories(f.getParent());
                    BufferedImage img = new BufferedImage(40 + k, 30, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < img.getHeight(); y++) {
                        for (int x = 0; x < img.getWidth(); x++) {
                            img.setRGB(x, y, (c.equals("ants") ? 0xB04020 : 0x2040B0) ^ random.nextInt(0x202020));
                        }
                    }
                    ImageIO.write(img, "png", f.toFile());
                }
            }
        }
        return data;
    }

    private String run(String... args) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TransferTutorial.Settings s = TransferTutorial.Settings.parse(args);
        TransferTutorial.run(s, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bothModesPrintTheTutorialsLinesAndWriteThePictures() throws IOException {
        Path data = folder();
        Path out = dir.resolve("runs");
        String text = run("--data", data.toString(), "--epochs", "2", "--width", "4", "--workers", "0", "--out", out.toString());
        assertThat(text).contains("no --weights: training from random weights", TransferTutorial.WEIGHTS_URL,
                "== Finetuning the convnet ==", "== ConvNet as fixed feature extractor ==", "Epoch 0/1\n----------\n",
                "Epoch 1/1\n");
        assertThat(text).containsPattern("train Loss: \\d+\\.\\d{4} Acc: \\d\\.\\d{4}\nval Loss: \\d+\\.\\d{4} Acc: \\d\\.\\d{4}\n\n");
        assertThat(text).containsPattern("Training complete in 0m \\d+s\nBest val Acc: \\d\\.\\d{6}\n");
        for (String png : List.of("batch.png", "visualize_finetune.png", "visualize_feature.png")) {
            assertThat(ImageIO.read(out.resolve(png).toFile())).as(png).isNotNull();
        }
    }

    @Test
    void weightsComeFromSafetensorsOrSavedModelFiles() throws IOException {
        Path data = folder();
        Torch.manualSeed(5);
        ResNet base = new ResNet(new ResNet.Config("BasicBlock", new int[] {2, 2, 2, 2}, 1000, 4));
        Path weights = dir.resolve("base.safetensors");
        Checkpoints.saveStateDict(base, weights);
        String text = run("--data", data.toString(), "--epochs", "1", "--width", "4", "--workers", "0", "--mode", "feature",
                "--weights", weights.toString(), "--out", dir.resolve("runs").toString());
        assertThat(text).contains("loaded " + weights).doesNotContain("no --weights").doesNotContain("Finetuning");

        // the whole model, architecture as data: loads back without naming any class
        Path whole = dir.resolve("model.safetensors");
        base.setModule("fc", new dev.steptorch.nn.Linear(base.fc().inFeatures(), 2));
        SavedModel.saveModel(base, whole);
        Module back = SavedModel.loadModel(whole);
        assertThat(back).isInstanceOf(ResNet.class);
        assertThat(back.toString()).isEqualTo(base.toString());
        assertThat(back.stateDict().get("fc.weight").toFloatArray()).containsExactly(base.fc().weight().toFloatArray());
        assertThat(SavedModel.loadModel(whole).stateDict().keySet()).containsExactlyElementsOf(base.stateDict().keySet());
    }
}
