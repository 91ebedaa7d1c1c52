import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks what a release would upload to Maven Central, as the release profile's dry run left it:
 * {@code java .ci/CheckRelease.java <repository root>}.
 *
 * <p>The published modules are found from the build itself: every module of the root POM, and the
 * root POM, is published unless it sets {@code maven.deploy.skip} to true. For each one it requires
 * what Central requires (a POM with name, description, url, licence, developers and scm, inherited
 * only from a parent that is itself in the upload; for a jar module the jar, its sources and its
 * javadoc; a signature beside every file that gpg verifies), nothing from an unpublished module, and
 * a BOM that lists every published library module and nothing else, and that an application can
 * import to get exactly those versions. It reads the bundle zip when the
 * plugin made one (a release version), or else the staged directory (a snapshot version). Every
 * problem is printed; the exit status is 1 if there was any.
 */
public final class CheckRelease {

    private static final String GROUP_ID = "dev.retry";
    private static final String BOM = "retry-bom";
    private static final List<String> REQUIRED_METADATA =
            List.of("name", "description", "url", "licenses/license/name", "licenses/license/url",
                    "developers/developer/name", "scm/url", "scm/connection");

    private final List<String> problems = new ArrayList<>();
    /** Whether the upload was read from the bundle zip, which alone carries the checksums. */
    private boolean bundled;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        CheckRelease check = new CheckRelease();
        check.run(root);
        if (!check.problems.isEmpty()) {
            System.out.println("== release dry run: " + check.problems.size() + " problem(s) in what a release would upload:");
            check.problems.forEach(problem -> System.out.println("   - " + problem));
            System.exit(1);
        }
    }

    private void run(Path root) throws Exception {
        Document rootPom = parse(Files.readAllBytes(root.resolve("pom.xml")));
        String version = text(rootPom.getDocumentElement(), "version").orElseThrow();
        Map<String, Module> modules = new TreeMap<>();
        Module parent = Module.read(root, rootPom);
        modules.put(parent.artifactId, parent);
        for (Element module : children(child(rootPom.getDocumentElement(), "modules").orElseThrow(), "module")) {
            Path dir = root.resolve(module.getTextContent().trim());
            Module read = Module.read(dir, parse(Files.readAllBytes(dir.resolve("pom.xml"))));
            modules.put(read.artifactId, read);
        }

        Map<String, byte[]> upload = readUpload(root, version);
        String where = GROUP_ID.replace('.', '/') + "/";
        Set<String> uploadedModules = new TreeSet<>();
        for (String file : upload.keySet()) {
            if (file.startsWith(where)) {
                uploadedModules.add(file.substring(where.length()).split("/")[0]);
            } else {
                problems.add(file + " is outside " + GROUP_ID);
            }
        }

        for (Module module : modules.values()) {
            if (!module.published) {
                if (uploadedModules.contains(module.artifactId)) {
                    problems.add(module.artifactId + " sets maven.deploy.skip, but a release would upload it");
                }
                continue;
            }
            checkFiles(module, version, upload);
        }
        for (String uploaded : uploadedModules) {
            if (!modules.containsKey(uploaded)) {
                problems.add(uploaded + " would be uploaded, but it is no module of this build");
            }
        }
        checkMetadata(modules, version, upload);
        checkBom(modules, version, upload);
        if (upload.containsKey(GROUP_ID.replace('.', '/') + "/" + BOM + "/" + version + "/" + BOM + "-" + version + ".pom")) {
            checkImport(root, modules, version, upload);
        }
        checkSignatures(upload);
        if (bundled) {
            checkChecksums(upload);
        }
        System.out.println("== release dry run: checked " + upload.size() + " files of "
                + uploadedModules.size() + " modules " + uploadedModules + " at " + version);
    }

    /** The files a release would upload, by their path in the repository layout. */
    private Map<String, byte[]> readUpload(Path root, String version) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path bundle = root.resolve("target/central-publishing/central-bundle.zip");
        if (Files.exists(bundle)) {
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(bundle))) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    if (!entry.isDirectory()) {
                        files.put(entry.getName(), zip.readAllBytes());
                    }
                }
            }
            bundled = true;
            return files;
        }
        // A snapshot version is staged for Central's snapshot repository instead of bundled.
        Path staged = root.resolve(version.endsWith("-SNAPSHOT") ? "target/central-deferred" : "target/central-staging");
        if (!Files.isDirectory(staged)) {
            problems.add("neither " + root.relativize(bundle) + " nor " + root.relativize(staged)
                    + " exists: the release profile staged nothing");
            return files;
        }
        try (Stream<Path> walk = Files.walk(staged)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = staged.relativize(file).toString().replace('\\', '/');
                if (!name.startsWith(".") && !name.contains("maven-metadata")) {
                    files.put(name, Files.readAllBytes(file));
                }
            }
        }
        return files;
    }

    private void checkFiles(Module module, String version, Map<String, byte[]> upload) throws IOException {
        String base = GROUP_ID.replace('.', '/') + "/" + module.artifactId + "/" + version + "/" + module.artifactId + "-" + version;
        List<String> required = new ArrayList<>(List.of(base + ".pom"));
        if (module.packaging.equals("jar")) {
            required.addAll(List.of(base + ".jar", base + "-sources.jar", base + "-javadoc.jar"));
        }
        for (String file : required) {
            byte[] content = upload.get(file);
            if (content == null || content.length == 0) {
                problems.add(module.artifactId + ": " + file + " is missing or empty");
                continue;
            }
            if (!upload.containsKey(file + ".asc")) {
                problems.add(module.artifactId + ": " + file + " has no signature " + file + ".asc");
            }
            if (file.endsWith(".jar")) {
                String expected = file.endsWith("-sources.jar") ? ".java" : file.endsWith("-javadoc.jar") ? "index.html" : ".class";
                if (zipEntryNames(content).stream().noneMatch(entry -> entry.endsWith(expected))) {
                    problems.add(module.artifactId + ": " + file + " holds no " + expected + " file");
                }
            }
        }
    }

    /** Central reads each POM together with its parents; a parent counts only if it is uploaded too. */
    private void checkMetadata(Map<String, Module> modules, String version, Map<String, byte[]> upload) throws Exception {
        for (Module module : modules.values()) {
            if (!module.published) {
                continue;
            }
            byte[] pom = upload.get(GROUP_ID.replace('.', '/') + "/" + module.artifactId + "/" + version + "/" + module.artifactId + "-" + version + ".pom");
            if (pom == null) {
                continue;
            }
            List<Element> lineage = new ArrayList<>();
            for (Optional<Element> current = Optional.of(parse(pom).getDocumentElement()); current.isPresent(); ) {
                Element project = current.get();
                lineage.add(project);
                current = child(project, "parent").flatMap(parent -> text(parent, "artifactId"))
                        .map(parentId -> upload.get(GROUP_ID.replace('.', '/') + "/" + parentId + "/" + version + "/" + parentId + "-" + version + ".pom"))
                        .map(CheckRelease::parseUnchecked).map(Document::getDocumentElement);
                if (current.isEmpty() && child(project, "parent").isPresent()) {
                    problems.add(module.artifactId + ": its parent " + child(project, "parent").flatMap(p -> text(p, "artifactId")).orElse("?")
                            + " would not be uploaded, so Central could not read the POM");
                }
            }
            for (String path : REQUIRED_METADATA) {
                // name and description are not inherited by Maven, so they must be in the POM itself.
                List<Element> searched = path.equals("name") || path.equals("description") ? lineage.subList(0, 1) : lineage;
                if (searched.stream().noneMatch(project -> text(project, path).filter(value -> !value.isBlank()).isPresent())) {
                    problems.add(module.artifactId + ": the POM has no " + path.replace('/', '.'));
                }
            }
        }
    }

    private void checkBom(Map<String, Module> modules, String version, Map<String, byte[]> upload) throws Exception {
        byte[] pom = upload.get(GROUP_ID.replace('.', '/') + "/" + BOM + "/" + version + "/" + BOM + "-" + version + ".pom");
        if (pom == null) {
            problems.add(BOM + " would not be uploaded");
            return;
        }
        Element project = parse(pom).getDocumentElement();
        if (child(project, "parent").isPresent()) {
            problems.add(BOM + ": the uploaded POM names a parent, whose dependency management an import would take in too");
        }
        Set<String> listed = new TreeSet<>();
        for (Element dependency : child(project, "dependencyManagement").flatMap(m -> child(m, "dependencies"))
                .map(d -> children(d, "dependency")).orElse(List.of())) {
            String artifactId = text(dependency, "artifactId").orElse("?");
            if (!text(dependency, "groupId").orElse("").equals(GROUP_ID)) {
                problems.add(BOM + " manages " + text(dependency, "groupId").orElse("?") + ":" + artifactId + ", which is not ours");
            }
            String listedVersion = text(dependency, "version").orElse("");
            if (!listedVersion.equals(version) && !listedVersion.equals("${project.version}")) {
                problems.add(BOM + " gives " + artifactId + " version '" + listedVersion + "' instead of its own version");
            }
            listed.add(artifactId);
        }
        Set<String> libraries = new TreeSet<>();
        modules.values().stream().filter(m -> m.published && !m.packaging.equals("pom")).forEach(m -> libraries.add(m.artifactId));
        for (String library : libraries) {
            if (!listed.contains(library)) {
                problems.add(BOM + " does not list the published module " + library + ": add its line to retry-bom/pom.xml");
            }
        }
        for (String entry : listed) {
            if (!libraries.contains(entry)) {
                problems.add(BOM + " lists " + entry + ", which is no published module of this build");
            }
        }
    }

    /**
     * An application that imports the BOM, built by Maven against the uploaded files alone (the local
     * repository is only a read-only fallback for Maven's own plugins): what it then manages must be
     * our published libraries at this version, and nothing else.
     */
    private void checkImport(Path root, Map<String, Module> modules, String version, Map<String, byte[]> upload) throws Exception {
        Path scratch = Files.createTempDirectory("retry-bom-import");
        try {
            for (Map.Entry<String, byte[]> file : upload.entrySet()) {
                Path target = scratch.resolve("repository").resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            Files.writeString(scratch.resolve("pom.xml"), """
                    <project xmlns="http://maven.apache.org/POM/4.0.0">
                      <modelVersion>4.0.0</modelVersion>
                      <groupId>example</groupId>
                      <artifactId>imports-the-bom</artifactId>
                      <version>1</version>
                      <packaging>pom</packaging>
                      <dependencyManagement>
                        <dependencies>
                          <dependency>
                            <groupId>%s</groupId>
                            <artifactId>%s</artifactId>
                            <version>%s</version>
                            <type>pom</type>
                            <scope>import</scope>
                          </dependency>
                        </dependencies>
                      </dependencyManagement>
                    </project>
                    """.formatted(GROUP_ID, BOM, version));
            Path effective = scratch.resolve("effective-pom.xml");
            Process maven = new ProcessBuilder(root.resolve("mvnw").toString(), "--batch-mode", "--quiet",
                    "-f", scratch.resolve("pom.xml").toString(),
                    "-Dmaven.repo.local=" + scratch.resolve("repository"),
                    "-Dmaven.repo.local.tail=" + Path.of(System.getProperty("user.home"), ".m2", "repository"),
                    "org.apache.maven.plugins:maven-help-plugin:3.5.2:effective-pom", "-Doutput=" + effective)
                    .directory(root.toFile()).redirectErrorStream(true).start();
            String output = new String(maven.getInputStream().readAllBytes());
            if (!maven.waitFor(5, TimeUnit.MINUTES) || maven.exitValue() != 0 || !Files.exists(effective)) {
                problems.add("an application importing " + BOM + " does not build: " + output.strip());
                return;
            }
            Set<String> managed = new TreeSet<>();
            for (Element dependency : child(parse(Files.readAllBytes(effective)).getDocumentElement(), "dependencyManagement")
                    .flatMap(m -> child(m, "dependencies")).map(d -> children(d, "dependency")).orElse(List.of())) {
                managed.add(text(dependency, "groupId").orElse("?") + ":" + text(dependency, "artifactId").orElse("?")
                        + ":" + text(dependency, "version").orElse("?"));
            }
            Set<String> expected = new TreeSet<>();
            modules.values().stream().filter(m -> m.published && !m.packaging.equals("pom"))
                    .forEach(m -> expected.add(GROUP_ID + ":" + m.artifactId + ":" + version));
            if (!managed.equals(expected)) {
                problems.add("an application importing " + BOM + " manages " + managed + " instead of exactly " + expected);
            } else {
                System.out.println("== release dry run: an application importing " + BOM + " manages exactly " + managed);
            }
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(path);
            }
        }
    }

    private void checkSignatures(Map<String, byte[]> upload) throws Exception {
        Path scratch = Files.createTempDirectory("retry-release-check");
        try {
            for (Map.Entry<String, byte[]> signature : upload.entrySet()) {
                String signed = signature.getKey().replaceFirst("\\.asc$", "");
                if (signed.equals(signature.getKey()) || !upload.containsKey(signed)) {
                    continue;
                }
                Path file = scratch.resolve("file");
                Path asc = scratch.resolve("file.asc");
                Files.write(file, upload.get(signed));
                Files.write(asc, signature.getValue());
                Process gpg = new ProcessBuilder("gpg", "--batch", "--quiet", "--verify", asc.toString(), file.toString())
                        .redirectErrorStream(true).start();
                String output = new String(gpg.getInputStream().readAllBytes());
                if (!gpg.waitFor(60, TimeUnit.SECONDS) || gpg.exitValue() != 0) {
                    problems.add(signature.getKey() + " does not verify: " + output.strip());
                }
            }
        } finally {
            deleteTree(scratch);
        }
    }

    /** Central refuses a bundle whose files (signatures aside) lack an MD5 and a SHA-1 checksum. */
    private void checkChecksums(Map<String, byte[]> upload) throws Exception {
        for (Map.Entry<String, byte[]> file : upload.entrySet()) {
            if (file.getKey().matches(".*\\.(md5|sha1|sha256|sha512|asc)$")) {
                continue;
            }
            for (String algorithm : List.of("MD5", "SHA-1")) {
                String name = file.getKey() + "." + algorithm.toLowerCase().replace("-", "");
                byte[] sum = upload.get(name);
                String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance(algorithm).digest(file.getValue()));
                if (sum == null) {
                    problems.add(file.getKey() + " has no " + algorithm + " checksum");
                } else if (!new String(sum).trim().split("\\s+")[0].equalsIgnoreCase(expected)) {
                    problems.add(name + " does not match its file");
                }
            }
        }
    }

    private record Module(String artifactId, String packaging, boolean published) {

        static Module read(Path dir, Document pom) {
            Element project = pom.getDocumentElement();
            boolean skipped = child(project, "properties").flatMap(p -> text(p, "maven.deploy.skip")).orElse("false").equals("true");
            return new Module(text(project, "artifactId").orElseThrow(), text(project, "packaging").orElse("jar"), !skipped);
        }
    }

    private static List<String> zipEntryNames(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static Document parseUnchecked(byte[] xml) {
        try {
            return parse(xml);
        } catch (Exception e) {
            throw new IllegalStateException("an uploaded POM is not XML: " + e.getMessage(), e);
        }
    }

    /** The text at a slash-separated path of child elements (the first match at each step). */
    private static Optional<String> text(Element from, String path) {
        Optional<Element> current = Optional.of(from);
        for (String step : path.split("/")) {
            current = current.flatMap(element -> child(element, step));
        }
        return current.map(element -> element.getTextContent().trim());
    }

    private static Optional<Element> child(Element parent, String name) {
        return children(parent, name).stream().findFirst();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }
}
