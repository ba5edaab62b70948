package io.tollgate.launcher;

import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Cluster certificates made at test time, so no private key is committed. */
final class TestCertificates {

  private TestCertificates() {
  }

  /** The self-signed certificate and its key as a PKCS#12 key store, as keytool would make it. */
  static Path pkcs12(SelfSignedCertificate cert, String password) throws IOException, GeneralSecurityException {
    Certificate certificate;
    try (InputStream in = Files.newInputStream(Path.of(cert.certificatePath()))) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    String pem = Files.readString(Path.of(cert.privateKeyPath()));
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    PrivateKey key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
        .generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("tollgate-cluster", key, password.toCharArray(), new Certificate[] {certificate});
    Path file = Files.createTempFile(Path.of("target"), "cluster", ".p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }
}
