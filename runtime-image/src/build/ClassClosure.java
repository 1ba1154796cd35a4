import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationElement;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.LoadableConstantEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.MethodHandleEntry;
import java.lang.classfile.constantpool.MethodTypeEntry;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewMultiArrayInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.classfile.instruction.NewReferenceArrayInstruction;
import java.lang.classfile.instruction.TypeCheckInstruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * The second half of the image's SDK shrink (the first is ProGuard, which drops the client methods berth never
 * calls but leaves their classes behind through uncleaned constant pools): keeps, of the classes in the jars to
 * shrink, those that the root jars' classes reach through what the JVM can load: superclasses, interfaces,
 * field and method descriptors and signatures, annotations, and every class an instruction of a method names
 * (including the method handles and types of invokedynamic bootstrap arguments). Class names in string
 * constants count too (Class.forName). Resources are kept as they are.
 *
 * <p>Run as {@code java ClassClosure.java OUT_DIR --roots A.jar,B.jar --shrink C.jar,D.jar}: writes OUT_DIR/C.jar,
 * OUT_DIR/D.jar and prints one line per jar (classes kept of classes read).
 */
public final class ClassClosure {
    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+)[;<]");

    private final Map<String, byte[]> shrinkable = new HashMap<>();
    private final Set<String> kept = new HashSet<>();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();

    public static void main(String[] args) throws IOException {
        if (args.length != 5 || !args[1].equals("--roots") || !args[3].equals("--shrink")) {
            System.err.println("usage: ClassClosure OUT_DIR --roots A.jar,B.jar --shrink C.jar,D.jar");
            System.exit(2);
        }
        var out = Path.of(args[0]);
        var roots = List.of(args[2].split(","));
        var shrink = List.of(args[4].split(","));
        var closure = new ClassClosure();
        for (var jar : shrink) {
            closure.readShrinkable(Path.of(jar));
        }
        for (var jar : roots) {
            closure.readRoots(Path.of(jar));
        }
        closure.run();
        Files.createDirectories(out);
        for (var jar : shrink) {
            closure.write(Path.of(jar), out.resolve(Path.of(jar).getFileName()));
        }
    }

    private void readShrinkable(Path jar) throws IOException {
        try (var in = new JarFile(jar.toFile())) {
            for (var e : (Iterable<java.util.jar.JarEntry>) in.stream()::iterator) {
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    shrinkable.put(e.getName().substring(0, e.getName().length() - 6), in.getInputStream(e).readAllBytes());
                }
            }
        }
    }

    private void readRoots(Path jar) throws IOException {
        try (var in = new JarFile(jar.toFile())) {
            for (var e : (Iterable<java.util.jar.JarEntry>) in.stream()::iterator) {
                if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")) {
                    queue.add(in.getInputStream(e).readAllBytes());
                }
            }
        }
    }

    private void run() {
        while (!queue.isEmpty()) {
            scan(ClassFile.of().parse(queue.poll()));
        }
    }

    private void reach(String internalName) {
        var name = internalName;
        while (name.startsWith("[")) {
            name = name.substring(1);
        }
        if (name.startsWith("L") && name.endsWith(";")) {
            name = name.substring(1, name.length() - 1);
        }
        if (shrinkable.containsKey(name) && kept.add(name)) {
            queue.add(shrinkable.get(name));
        }
    }

    private void reachText(String text) {
        var m = DESCRIPTOR_CLASS.matcher(text);
        while (m.find()) {
            reach(m.group(1));
        }
        // a plain class name, internal or dotted (Class.forName, descriptors without L...;)
        reach(text.replace('.', '/'));
    }

    private void scan(ClassModel model) {
        model.superclass().ifPresent(c -> reach(c.asInternalName()));
        model.interfaces().forEach(c -> reach(c.asInternalName()));
        // the outer class of a nested class (Class.getSimpleName, getEnclosingClass)
        model.findAttribute(Attributes.innerClasses()).ifPresent(a -> a.classes().forEach(i -> {
            if (i.innerClass().asInternalName().equals(model.thisClass().asInternalName())) {
                i.outerClass().ifPresent(o -> reach(o.asInternalName()));
            }
        }));
        model.findAttribute(Attributes.enclosingMethod()).ifPresent(a -> reach(a.enclosingClass().asInternalName()));
        model.findAttribute(Attributes.signature()).ifPresent(s -> reachText(s.signature().stringValue()));
        annotations(model.findAttribute(Attributes.runtimeVisibleAnnotations()).map(a -> a.annotations()).orElse(List.of()));
        for (var f : model.fields()) {
            reachText(f.fieldType().stringValue());
            f.findAttribute(Attributes.signature()).ifPresent(s -> reachText(s.signature().stringValue()));
            annotations(f.findAttribute(Attributes.runtimeVisibleAnnotations()).map(a -> a.annotations()).orElse(List.of()));
        }
        for (var m : model.methods()) {
            reachText(m.methodType().stringValue());
            m.findAttribute(Attributes.signature()).ifPresent(s -> reachText(s.signature().stringValue()));
            m.findAttribute(Attributes.exceptions()).ifPresent(x -> x.exceptions().forEach(c -> reach(c.asInternalName())));
            annotations(m.findAttribute(Attributes.runtimeVisibleAnnotations()).map(a -> a.annotations()).orElse(List.of()));
            m.code().ifPresent(this::code);
        }
    }

    private void code(CodeModel code) {
        code.exceptionHandlers().forEach(h -> h.catchType().ifPresent(c -> reach(c.asInternalName())));
        for (var element : code) {
            if (!(element instanceof Instruction)) {
                continue;
            }
            switch (element) {
                case InvokeInstruction i -> member(i.method());
                case FieldInstruction i -> member(i.field());
                case NewObjectInstruction i -> reach(i.className().asInternalName());
                case NewReferenceArrayInstruction i -> reach(i.componentType().asInternalName());
                case NewMultiArrayInstruction i -> reach(i.arrayType().asInternalName());
                case TypeCheckInstruction i -> reach(i.type().asInternalName());
                case InvokeDynamicInstruction i -> {
                    reachText(i.invokedynamic().type().stringValue());
                    member(i.invokedynamic().bootstrap().bootstrapMethod().reference());
                    i.invokedynamic().bootstrap().arguments().forEach(this::constant);
                }
                case ConstantInstruction.LoadConstantInstruction i -> constant(i.constantEntry());
                default -> { }
            }
        }
    }

    private void constant(LoadableConstantEntry entry) {
        switch (entry) {
            case ClassEntry c -> reach(c.asInternalName());
            case MethodHandleEntry h -> member(h.reference());
            case MethodTypeEntry t -> reachText(t.descriptor().stringValue());
            case java.lang.classfile.constantpool.StringEntry s -> reachText(s.stringValue());
            default -> { }
        }
    }

    private void member(MemberRefEntry ref) {
        reach(ref.owner().asInternalName());
        reachText(ref.type().stringValue());
    }

    private void annotations(List<Annotation> annotations) {
        for (var a : annotations) {
            reachText(a.className().stringValue());
            for (AnnotationElement e : a.elements()) {
                value(e.value());
            }
        }
    }

    private void value(AnnotationValue v) {
        switch (v) {
            case AnnotationValue.OfClass c -> reachText(c.className().stringValue());
            case AnnotationValue.OfEnum e -> reachText(e.className().stringValue());
            case AnnotationValue.OfArray a -> a.values().forEach(this::value);
            case AnnotationValue.OfAnnotation n -> annotations(List.of(n.annotation()));
            default -> { }
        }
    }

    private void write(Path jar, Path out) throws IOException {
        int read = 0;
        int written = 0;
        try (var in = new JarFile(jar.toFile()); OutputStream file = Files.newOutputStream(out);
             var zip = new JarOutputStream(file)) {
            for (var e : (Iterable<java.util.jar.JarEntry>) in.stream()::iterator) {
                var name = e.getName();
                if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                    read++;
                    if (!kept.contains(name.substring(0, name.length() - 6))) {
                        continue;
                    }
                    written++;
                }
                zip.putNextEntry(new ZipEntry(name));
                if (!e.isDirectory()) {
                    in.getInputStream(e).transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        System.out.printf("class-closure: %s keeps %d of %d classes%n", jar.getFileName(), written, read);
    }
}
