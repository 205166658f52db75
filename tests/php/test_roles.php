<?php
/** WorkOS\Native\Roles through PHP: the Rust side is crates/workos-core/src/roles.rs. */

/** check(), same(), throws(), finish(): assertions that need only PHP and the extension. */
require __DIR__ . '/assert.php';

use WorkOS\Native\Roles;
use WorkOS\Native\InvalidArgumentException;

$map = array(
	'admin'  => 'administrator',
	'editor' => 'editor',
	'member' => 'subscriber',
);

same( 'administrator', Roles::resolve( $map, 'admin' ), 'a slug' );
same( 'editor', Roles::resolve( $map, array( 'member', 'editor' ) ), 'map order is priority' );
same( 'editor', Roles::resolve( $map, array( 'role' => 'member', 'roles' => array( 'member', 'editor' ), 'sub' => 'user_1' ) ), 'token claims' );
$membership = array(
	'object' => 'organization_membership',
	'role'   => array( 'slug' => 'admin' ),
	'roles'  => array( array( 'slug' => 'admin' ) ),
);
same( 'administrator', Roles::resolve( $map, $membership ), 'membership role object' );
same( 'contributor', Roles::resolve( $map, array( 'guest' ), 'contributor' ), 'default role' );
same( null, Roles::resolve( $map, array( 'guest' ) ), 'no default: null' );
same( null, Roles::resolve( array(), null ), 'nothing at all' );
same( array( 'admin', 'editor' ), Roles::slugs( array( $membership, array( 'role' => array( 'slug' => 'editor' ) ) ) ), 'slugs' );
throws( InvalidArgumentException::class, fn() => Roles::resolve( array( 'admin' => array( 'x' ) ), 'admin' ), 'non-string role' );
throws( InvalidArgumentException::class, fn() => Roles::resolve( array( 'admin' => '' ), 'admin' ), 'empty role' );
throws( InvalidArgumentException::class, fn() => Roles::resolve( array( 'a', 'b' ), 'admin' ), 'a list is not a map' );
throws( InvalidArgumentException::class, fn() => Roles::resolve( $map, new stdClass() ), 'objects are refused' );

finish();
