// The fixed twin of app/: the same manifest, network security config and FileProvider
// paths done right. Not built; it shows what app/ should be.
plugins {
    id("com.android.application")
}

android {
    namespace = "com.example.shop"
    defaultConfig {
        minSdk = 24
        targetSdk = 34
    }
    buildTypes {
        release {
            isMinifyEnabled = true
        }
    }
}
