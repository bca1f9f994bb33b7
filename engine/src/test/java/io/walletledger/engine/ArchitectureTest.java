package io.walletledger.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Holds the engine to what makes it deterministic and portable (docs/architecture.md, "Modules"): it knows nothing of
 * threads, sockets, files, clocks, randomness or logging, and depends on no module above it.
 */
class ArchitectureTest
{
    private final JavaClasses engine = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.walletledger.engine");

    @Test
    void engineDependsOnlyOnProtocolAgronaAndTheJdkCore()
    {
        noClasses().that().resideInAPackage("io.walletledger.engine..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "io.netty..", "net.openhft..", "com.lmax..", "org.slf4j..", "com.typesafe..",
                "io.walletledger.journal..", "io.walletledger.snapshot..", "io.walletledger.gateway..",
                "io.walletledger.client..", "io.walletledger.server..", "io.walletledger.config..",
                "java.io..", "java.net..", "java.nio.file..", "java.nio.channels..", "java.util.concurrent..",
                "java.time..", "java.util.logging..", "java.lang.System.Logger")
            .check(engine);
    }

    @Test
    void engineReadsNoClockAndNoRandomness()
    {
        noClasses().that().resideInAPackage("io.walletledger.engine..")
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.SplittableRandom")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.security.SecureRandom")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
            .check(engine);
    }
}
