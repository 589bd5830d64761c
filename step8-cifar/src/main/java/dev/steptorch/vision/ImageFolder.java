package dev.steptorch.vision;

import dev.steptorch.data.Dataset;
import dev.steptorch.data.Sample;
import dev.steptorch.vision.transforms.Image;
import dev.steptorch.vision.transforms.Transform;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Images sorted into one folder per class, torchvision's {@code datasets.ImageFolder}:
 * {@code root/dog/xxx.png, root/cat/123.jpg, ...}. Class names are the sorted folder names and
 * their positions the labels; images are found recursively inside each class folder, sorted by
 * path, and decoded (to RGB, like torchvision's default loader) only when asked for.
 */
public final class ImageFolder implements Dataset<Sample> {
    static final Set<String> EXTENSIONS = Set.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Path root;
    private final Transform transform;
    private final List<String> classes;
    private final Map<String, Integer> classToIdx;
    private final List<Path> files;
    private final int[] labels;

    public ImageFolder(Path root, Transform transform) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new FileNotFoundException("ImageFolder: " + root + " is not a directory");
        }
        this.root = root;
        this.transform = transform;
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        }
        Collections.sort(names);
        if (names.isEmpty()) {
            throw new FileNotFoundException("Couldn't find any class folder in " + root);
        }
        this.classes = List.copyOf(names);
        Map<String, Integer> idx = new LinkedHashMap<>();
        List<Path> found = new ArrayList<>();
        List<Integer> foundLabels = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            idx.put(names.get(c), c);
            List<Path> images;
            try (Stream<Path> walk = Files.walk(root.resolve(names.get(c)))) {
                images = walk.filter(Files::isRegularFile).filter(ImageFolder::hasImageExtension).sorted().toList();
            }
            for (Path p : images) {
                found.add(p);
                foundLabels.add(c);
            }
        }
        if (found.isEmpty()) {
            throw new FileNotFoundException("Found no valid file for the classes " + names + " in " + root
                    + ". Supported extensions are: " + EXTENSIONS.stream().sorted().toList());
        }
        this.classToIdx = Collections.unmodifiableMap(idx);
        this.files = List.copyOf(found);
        this.labels = foundLabels.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean hasImageExtension(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot));
    }

    @Override
    public int size() {
        return files.size();
    }

    public List<String> classes() {
        return classes;
    }

    public Map<String, Integer> classToIdx() {
        return classToIdx;
    }

    public Path path(int index) {
        return files.get(checkIndex(index));
    }

    public int label(int index) {
        return labels[checkIndex(index)];
    }

    /** The decoded image: a 3-channel pixel image, values 0..255. */
    public Image image(int index) {
        Path file = path(index);
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot read image file " + file + ": " + e.getMessage(), e));
        }
        if (img == null) {
            throw new UncheckedIOException(new IOException("cannot identify image file " + file
                    + " (not a PNG, JPEG, BMP or GIF that javax.imageio can decode)"));
        }
        return toRgb(img);
    }

    static Image toRgb(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] chw = new float[3 * h * w];
        int plane = h * w;
        for (int p = 0; p < plane; p++) {
            int v = argb[p];
            chw[p] = (v >>> 16) & 0xFF;
            chw[plane + p] = (v >>> 8) & 0xFF;
            chw[2 * plane + p] = v & 0xFF;
        }
        return new Image(3, h, w, chw, true);
    }

    @Override
    public Sample get(int index) {
        return get(index, new Random(index));
    }

    @Override
    public Sample get(int index, Random random) {
        Image image = image(index);
        if (transform != null) {
            image = transform.apply(image, random);
        }
        return new Sample(image.toTensor(), labels[index]);
    }

    @Override
    public String toString() {
        return "Dataset ImageFolder\n    Number of datapoints: " + files.size() + "\n    Root location: " + root
                + (transform == null ? "" : "\n    Transform: " + transform);
    }
}
